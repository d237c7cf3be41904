using System.Collections.Concurrent;
using System.Net;
using System.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LynqDashboard.Tests.Shared;

/// <summary>
/// An HTTP proxy in front of the real local S3 server that injects the failures the server itself cannot
/// produce (it checks neither credentials nor checksums): error answers, hangs, connections dropped mid-body,
/// corrupted downloads, and the endpoint going away. It logs every request it saw.
/// </summary>
public sealed class FaultyS3Proxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Transfer-Encoding", "Expect", "Keep-Alive" };
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly string _target;
    private readonly ConcurrentQueue<ProxiedRequest> _log = new();
    private readonly Lock _gate = new();
    private List<S3Fault> _faults = [];

    private FaultyS3Proxy(WebApplication app, string target)
    {
        (_app, _target) = (app, target.TrimEnd('/'));
        app.Run(HandleAsync);
    }

    public string Url { get; private set; } = string.Empty;

    /// <summary>Every request, in arrival order.</summary>
    public IReadOnlyList<ProxiedRequest> Requests => [.. _log];

    public static async Task<FaultyS3Proxy> StartAsync(string upstreamUrl)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        var proxy = new FaultyS3Proxy(builder.Build(), upstreamUrl);
        await proxy._app.StartAsync();
        proxy.Url = proxy._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return proxy;
    }

    /// <summary>Adds a fault; faults are tried in the order added and each fires <see cref="S3Fault.Times"/> times.</summary>
    public S3Fault Inject(S3Fault fault)
    {
        lock (_gate)
        {
            _faults = [.. _faults, fault];
        }

        return fault;
    }

    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults = [];
        }
    }

    /// <summary>The endpoint goes away: new connections are refused.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private S3Fault? Take(HttpRequest request)
    {
        lock (_gate)
        {
            var fault = _faults.FirstOrDefault(f => f.Matches(request.Method, request.Path.Value ?? string.Empty, request.QueryString.Value ?? string.Empty) && f.Times > 0);
            if (fault is not null)
            {
                fault.Times--;
            }

            return fault;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var fault = Take(request);
        _log.Enqueue(new ProxiedRequest(request.Method, request.Path.Value ?? string.Empty, request.QueryString.Value ?? string.Empty, fault?.GetType().Name));
        switch (fault)
        {
            case S3Fault.Answer answer:
                context.Response.StatusCode = answer.Status;
                foreach (var (name, value) in answer.Headers)
                {
                    context.Response.Headers[name] = value;
                }

                if (!HttpMethods.IsHead(request.Method))
                {
                    context.Response.ContentType = "application/xml";
                    await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{answer.Code}</Code><Message>{SecurityElement.Escape(answer.Message)}</Message>{answer.ExtraXml}<RequestId>proxy</RequestId></Error>");
                }

                return;
            case S3Fault.Hang:
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            case S3Fault.DropAfter drop:
                var buffer = new byte[8192];
                long received = 0;
                int read;
                while (received < drop.Bytes && (read = await request.Body.ReadAsync(buffer)) > 0)
                {
                    received += read;
                }

                context.Abort();
                if (drop.ThenStop)
                {
                    _ = Task.Run(StopAsync);
                }

                return;
            case S3Fault.Slow slow:
                // A slow uplink: the body arrives at the given rate, then goes on to the server.
                using (var body = new MemoryStream())
                {
                    var chunk = new byte[16 * 1024];
                    int n;
                    while ((n = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
                    {
                        body.Write(chunk, 0, n);
                        await Task.Delay(TimeSpan.FromSeconds((double)n / slow.BytesPerSecond), context.RequestAborted);
                    }

                    await ForwardAsync(context, null, body.ToArray());
                }

                return;
            default:
                await ForwardAsync(context, fault as S3Fault.CorruptBody);
                return;
        }
    }

    private async Task ForwardAsync(HttpContext context, S3Fault.CorruptBody? corrupt, byte[]? bufferedBody = null)
    {
        var request = context.Request;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), _target + request.Path + request.QueryString);
        var hasBody = bufferedBody is not null || request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (hasBody)
        {
            message.Content = bufferedBody is null ? new StreamContent(request.Body) : new ByteArrayContent(bufferedBody);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopHeaders.Contains(name))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values) && message.Content is not null)
            {
                message.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await _upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            var strip = corrupt is { StripChecksums: true } && (name.StartsWith("x-amz-checksum", StringComparison.OrdinalIgnoreCase) || name.Equals("ETag", StringComparison.OrdinalIgnoreCase));
            if (!HopHeaders.Contains(name) && !strip)
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        if (HttpMethods.IsHead(request.Method))
        {
            return;
        }

        if (corrupt is null)
        {
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
            return;
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (bytes.Length > 0)
        {
            bytes[bytes.Length / 2] ^= 0x5A; // same length, one byte changed: only a digest notices
        }

        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }
}

/// <summary>One request the proxy saw, and the fault it injected (null when it forwarded it untouched).</summary>
public sealed record ProxiedRequest(string Method, string Path, string Query, string? Fault);

/// <summary>A failure to inject for requests with <see cref="Method"/> (null: any) whose path contains <see cref="PathContains"/>.</summary>
public abstract record S3Fault(string? Method, string PathContains)
{
    /// <summary>How many more matching requests it hits (default: all).</summary>
    public int Times { get; set; } = int.MaxValue;

    public bool Matches(string method, string path, string query) =>
        (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase)) && (path + query).Contains(PathContains, StringComparison.Ordinal);

    /// <summary>Answers with an S3 error document instead of forwarding.</summary>
    public sealed record Answer(string? Method, string PathContains, int Status, string Code, string Message, string ExtraXml = "") : S3Fault(Method, PathContains)
    {
        public Dictionary<string, string> Headers { get; init; } = [];
    }

    /// <summary>Never answers.</summary>
    public sealed record Hang(string? Method, string PathContains) : S3Fault(Method, PathContains);

    /// <summary>Reads this many body bytes, then drops the connection; with <paramref name="ThenStop"/> the endpoint goes away too.</summary>
    public sealed record DropAfter(string? Method, string PathContains, long Bytes, bool ThenStop) : S3Fault(Method, PathContains);

    /// <summary>Forwards after receiving the request body at <paramref name="BytesPerSecond"/> (a slow network, not a failure).</summary>
    public sealed record Slow(string? Method, string PathContains, long BytesPerSecond) : S3Fault(Method, PathContains);

    /// <summary>Forwards, but changes one byte of the response body; with <paramref name="StripChecksums"/> it also drops the
    /// x-amz-checksum-* headers and the ETag (an MD5 the SDK would check), as a server that keeps no checksums would, so only the reader's own digest can notice.</summary>
    public sealed record CorruptBody(string? Method, string PathContains, bool StripChecksums = false) : S3Fault(Method, PathContains);
}
