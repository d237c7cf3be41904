using Bunit;
using LynqDashboard.Web.Components.Layout;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Components;

/// <summary>A page that throws shows words and a way back (MainLayout wraps every page in it), never a dead page or a stack trace.</summary>
public sealed class ErrorBoundaryTests : ComponentTest
{
    [Fact]
    public void PageThrows_ShowsWhatToDoAndAReference_LogsTheException_AndTryAgainBringsThePageBack()
    {
        var cut = RenderFailingPage();
        Assert.Equal("All well", cut.Find("[data-testid=page-content]").TextContent);

        cut.Find("[data-testid=explode]").Click();

        var error = cut.Find("[data-testid=page-error]");
        Assert.Contains("This page stopped working", error.TextContent, StringComparison.Ordinal);
        Assert.Contains("Try again", error.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("registry row 42 vanished", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", cut.Markup, StringComparison.Ordinal);
        var reference = cut.Find("[data-testid=page-error-reference]").TextContent;
        Assert.Matches("^[0-9a-f]{8}$", reference);
        Assert.Contains(Log, line => line.Contains($"reference {reference}", StringComparison.Ordinal) && line.Contains("registry row 42 vanished", StringComparison.Ordinal));

        cut.Find("[data-testid=page-error-retry]").Click();

        Assert.Empty(cut.FindAll("[data-testid=page-error]"));
        Assert.Equal("All well", cut.Find("[data-testid=page-content]").TextContent);
    }

    [Fact]
    public void PageThrows_BackToOverviewGoesHomeWithoutTheError()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/models/7");
        var cut = RenderFailingPage();
        cut.Find("[data-testid=explode]").Click();

        cut.Find("[data-testid=page-error-home]").Click();

        Assert.Equal(navigation.BaseUri, navigation.Uri);
        Assert.Empty(cut.FindAll("[data-testid=page-error]"));
    }

    // As MainLayout wraps @Body.
    private IRenderedComponent<PageErrorBoundary> RenderFailingPage() =>
        Render<PageErrorBoundary>(p => p.Add(b => b.ChildContent, (RenderFragment)(b => { b.OpenComponent<FailingPage>(0); b.CloseComponent(); })));

    private sealed class FailingPage : ComponentBase
    {
        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "button");
            builder.AddAttribute(1, "data-testid", "explode");
            builder.AddAttribute(2, "onclick", EventCallback.Factory.Create(this, () => throw new InvalidOperationException("registry row 42 vanished")));
            builder.AddContent(3, "Explode");
            builder.CloseElement();
            builder.OpenElement(4, "p");
            builder.AddAttribute(5, "data-testid", "page-content");
            builder.AddContent(6, "All well");
            builder.CloseElement();
        }
    }
}
