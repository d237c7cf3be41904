using System.Net.Http.Json;
using LynqDashboard.Core.Data;
using LynqDashboard.Core.Registry;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Workflows;
using LynqDashboard.Web.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace LynqDashboard.Web.Tests.Endpoints;

/// <summary>The app with one API key and a model trained through the real job server, serving once ready.</summary>
public sealed class ScoringApiFixture : IAsyncLifetime
{
    public const string Key = "test-key-0123456789abcdef";

    public DashboardFactory Factory { get; } = new() { Settings = { ["Lynq:Scoring:ApiKeys:0"] = Key } };

    public HttpClient Client(string? key = Key)
    {
        var client = Factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-API-KEY", key);
        }

        return client;
    }

    public async ValueTask InitializeAsync()
    {
        await ServedVersion.TrainAndServeAsync(Factory.Services);
    }

    public async ValueTask DisposeAsync() => await Factory.DisposeAsync();
}
