using System.Collections.Concurrent;
using Bunit;
using LynqDashboard.Core.Monitoring;
using LynqDashboard.Web.Components.Controls;
using LynqDashboard.Web.Monitoring;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>The Admin's simulator panel over the real background run, with a ledger that keeps what it is given.</summary>
public sealed class SimulatorPanelTests : ComponentTest
{
    [Fact]
    public void Run_WithoutOutcomes_LedgersTheRowsAndShowsTheSummary()
    {
        var cut = Render<SimulatorPanel>();
        Assert.Contains("Applicants drawn as the training data was", cut.Markup, StringComparison.Ordinal);
        Input(cut, "simulate-rows").Input("250");
        Input(cut, "simulate-outcomes").Change(false);

        cut.Find("[data-testid=simulate-run]").Click();

        cut.WaitForAssertion(() => Assert.Contains("finished: 250 decisions", cut.Find("[data-testid=simulate-summary]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Equal(250, Ledger.Recorded.Count);
        Assert.DoesNotContain("Outcomes:", cut.Find("[data-testid=simulate-summary]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_OutOfRange_DisableRunAndSayWhy()
    {
        var cut = Render<SimulatorPanel>();

        Input(cut, "simulate-rows").Input("0");

        Assert.True(cut.Find("[data-testid=simulate-run]").HasAttribute("disabled"));
        Assert.Contains("rows must be between 1 and 1,000,000", cut.Markup, StringComparison.Ordinal);
    }

    // MudBlazor puts the data-testid on the input itself for some fields and on a wrapper for others.
    private static AngleSharp.Dom.IElement Input(IRenderedComponent<SimulatorPanel> cut, string testId)
    {
        var element = cut.Find($"[data-testid={testId}]");
        return element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
    }
}
