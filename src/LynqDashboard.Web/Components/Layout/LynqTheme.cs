using MudBlazor;

namespace LynqDashboard.Web.Components.Layout;

/// <summary>
/// One theme for the app: a calm blue primary, risk colours kept for status chips. Every colour that carries text
/// meets WCAG AA (4.5:1), checked by axe-core in the browser tests: in the light theme the status colours are dark
/// enough for white text; in the dark theme they are light enough to read on the dark surface, with dark text on them.
/// </summary>
public static class LynqTheme
{
    private const string Ink = "#10141a";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5fa8",
            Secondary = "#5b6b7f",
            AppbarBackground = "#1f5fa8",
            Success = "#2e7d32",
            Info = "#1565c0",
            Warning = "#ad5700",
            Error = "#c62828",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#7fb0ee",
            PrimaryContrastText = Ink,
            Secondary = "#9aa9bb",
            SecondaryContrastText = Ink,
            Success = "#81c784",
            SuccessContrastText = Ink,
            Info = "#64b5f6",
            InfoContrastText = Ink,
            Warning = "#ffb74d",
            WarningContrastText = Ink,
            Error = "#ff8a80",
            ErrorContrastText = Ink,

            // An error alert's words are drawn in the darkened shade on a tint of the colour: MudBlazor's own darkening
            // (#ff695c) reads at 4.0:1 there, so the shade is set light enough for 4.5:1 (the monitoring notice on every page).
            ErrorDarken = "#ffa59e",
            TextSecondary = "#b6b6bd",
            ActionDefault = "#c0c0c6",
        },

        // Buttons keep the case they are written in: upper-casing turns "Promote v2" into "PROMOTE V2" and "v" labels
        // stop looking like the version names used everywhere else.
        Typography = new Typography { Button = new ButtonTypography { TextTransform = "none" } },
    };
}
