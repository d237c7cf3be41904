using System.Net;
using CsCheck;
using LynqDashboard.Tests.Shared;
using LynqDashboard.Web.Security;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LynqDashboard.Web.Tests.Security;

/// <summary>returnUrl never leads off the site, whatever a browser or a proxy makes of it.</summary>
public sealed class LocalUrlTests
{
    private static readonly Uri Site = new("https://dashboard.lynq.example/");

    [Theory]
    [InlineData("/")]
    [InlineData("/models")]
    [InlineData("/models/3?tab=charts")]
    [InlineData("/models?filter=a%2Fb")]
    [InlineData("/promotions#history")]
    public void PathsOnThisSite_AreLocal(string url) => Assert.True(LocalUrl.IsLocal(url));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("models")]
    [InlineData("//evil.example")]
    [InlineData("///evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("/%5cevil.example")]
    [InlineData("/%255Cevil.example")]
    [InlineData("/%2F/evil.example")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("/\t/evil.example")]
    [InlineData("/\n/evil.example")]
    [InlineData("/%09/evil.example")]
    [InlineData("/\r\n/evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData(" /models")]
    public void WaysOffTheSite_AreRefused_AndLeadHome(string? url)
    {
        Assert.False(LocalUrl.IsLocal(url));
        Assert.Equal("/", LocalUrl.OrHome(url));
    }

    [Fact]
    public void AnyUrlCalledLocal_StaysOnTheSite_UnderEveryReading()
    {
        var prefix = Gen.OneOf("", "/", "//", "/\\", "\\", "/%5C", "/%2F", "/%25", "/%09", "https:", "/./", "/..");
        var tail = Gen.Char["/\\%25CcFf09a.:@?#\t\n\r e"].Array[0, 12].Select(chars => new string(chars));
        Gen.Select(prefix, tail, (p, t) => p + t).Sample(url =>
        {
            if (!LocalUrl.IsLocal(url))
            {
                return true;
            }

            return Readings(url).All(StaysOnSite);
        }, iter: 20_000);
    }

    [Fact]
    public void OrdinaryPaths_AreAlwaysLocal()
    {
        var segment = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_."].Array[1, 10].Select(chars => new string(chars));
        segment.Array[0, 5].Select(parts => "/" + string.Join('/', parts)).Sample(LocalUrl.IsLocal, iter: 5_000);
    }

    // What a browser (WHATWG: "\" is "/", tabs and line breaks vanish) or a decoding proxy may read the URL as.
    private static IEnumerable<string> Readings(string url)
    {
        var once = Uri.UnescapeDataString(url);
        foreach (var reading in new[] { url, once, Uri.UnescapeDataString(once) })
        {
            yield return reading;
            yield return new string([.. reading.Where(c => c is not ('\t' or '\n' or '\r'))]).Replace('\\', '/');
        }
    }

    private static bool StaysOnSite(string reading) =>
        !Uri.TryCreate(Site, reading, out var target) || (target.Scheme == Site.Scheme && target.Host == Site.Host && target.Port == Site.Port);
}

/// <summary>Every redirect after sign-in goes through <see cref="LocalUrl"/>.</summary>
[Collection(AppHostCollection.Name)]
public sealed class ReturnUrlTests(DashboardFactory factory) : IClassFixture<DashboardFactory>
{
    [Theory]
    [InlineData("/models", "/models")]
    [InlineData("/%5Cevil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    public async Task SignIn_GoesToTheReturnUrl_OnlyWhenItIsLocal(string returnUrl, string expected)
    {
        using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var path = "/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl);
        var form = await client.GetStringAsync(path, TestContext.Current.CancellationToken);

        using var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = FormSignIn.Token(form),
            ["Input.Email"] = DashboardFactory.AdminEmail, ["Input.Password"] = DashboardFactory.Password,
        }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var target = new Uri(client.BaseAddress!, response.Headers.Location!);
        Assert.Equal(client.BaseAddress!.Authority, target.Authority);
        Assert.Equal(expected, target.PathAndQuery);
    }
}
