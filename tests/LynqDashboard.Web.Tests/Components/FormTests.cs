using Bunit;
using LynqDashboard.Web.Components.Controls;
using LynqDashboard.Web.Model;
using LynqDashboard.Web.Tests.Shared;

namespace LynqDashboard.Web.Tests.Components;

public sealed class FormTests : ComponentTest
{
    [Fact]
    public void GenerateForm_ZeroRowsTyped_ShowsTheRuleAndDisablesBothButtons()
    {
        var cut = Render<GenerateDatasetForm>(p => p.Add(c => c.Form, new GenerateForm()).Add(c => c.MaxRows, 1_000_000));

        InputLabelled(cut, "Rows").Input("0");

        cut.WaitForAssertion(() => Assert.Contains("Rows must be between 1 and 1,000,000.", FieldLabelled(cut, "Rows").TextContent, StringComparison.Ordinal));
        Assert.Equal("true", InputLabelled(cut, "Rows").GetAttribute("aria-invalid"));
        Assert.NotEqual("true", InputLabelled(cut, "Default rate (%)").GetAttribute("aria-invalid"));
        Assert.True(cut.Find("[data-testid=generate]").HasAttribute("disabled"));
        Assert.True(cut.Find("[data-testid=generate-and-train]").HasAttribute("disabled"));
    }

    [Fact]
    public void GenerateForm_DefaultRateOutOfRangeTyped_NamesTheField()
    {
        var cut = Render<GenerateDatasetForm>(p => p.Add(c => c.Form, new GenerateForm()));

        InputLabelled(cut, "Default rate (%)").Input("60");

        cut.WaitForAssertion(() => Assert.Contains("Default rate must be between 0.5 % and 50 %.", FieldLabelled(cut, "Default rate (%)").TextContent, StringComparison.Ordinal));
        Assert.Equal("true", InputLabelled(cut, "Default rate (%)").GetAttribute("aria-invalid"));
        Assert.NotEqual("true", InputLabelled(cut, "Rows").GetAttribute("aria-invalid"));
    }

    [Fact]
    public void GenerateForm_ValidValues_EnablesSubmitAndRaisesTheEvent()
    {
        var clicked = 0;
        var cut = Render<GenerateDatasetForm>(p => p.Add(c => c.Form, new GenerateForm()).Add(c => c.OnGenerate, () => clicked++));

        cut.Find("[data-testid=generate]").Click();

        Assert.Equal(1, clicked);
        Assert.DoesNotContain("must be between", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainForm_BadLeavesAndNoDataset_ShowsBothMessages()
    {
        var cut = Render<TrainModelForm>(p => p.Add(c => c.Form, new TrainForm()));

        InputLabelled(cut, "Leaves").Input("1");
        InputLabelled(cut, "Learning rate").Input("2");

        cut.WaitForAssertion(() => Assert.Contains("Leaves must be between 2 and 1,024 (got 1).", cut.Markup, StringComparison.Ordinal));
        Assert.Contains("Learning rate must be greater than 0 and at most 1 (got 2).", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Choose a dataset to train on.", cut.Markup, StringComparison.Ordinal);
        Assert.True(cut.Find("[data-testid=train]").HasAttribute("disabled"));
    }

    // The input a person finds by its visible label, as a screen reader would.
    private static AngleSharp.Dom.IElement InputLabelled<TForm>(IRenderedComponent<TForm> cut, string label)
        where TForm : Microsoft.AspNetCore.Components.IComponent =>
        cut.Find($"#{cut.FindAll("label").Single(l => l.TextContent.Trim() == label).GetAttribute("for")}");

    // The labelled input with its helper and error text, where the person reads what is wrong with it.
    private static AngleSharp.Dom.IElement FieldLabelled<TForm>(IRenderedComponent<TForm> cut, string label)
        where TForm : Microsoft.AspNetCore.Components.IComponent =>
        InputLabelled(cut, label).Closest(".mud-input-control")!;
}
