using MudBlazor;

namespace LynqDashboard.Web.Components.Layout;

/// <summary>One theme for the app: a calm blue primary, risk colours kept for status chips.</summary>
public static class LynqTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1f5fa8", Secondary = "#5b6b7f", AppbarBackground = "#1f5fa8" },
        PaletteDark = new PaletteDark { Primary = "#7fb0ee", Secondary = "#9aa9bb" },
    };
}
