namespace LynqDashboard.Web.Scoring;

/// <summary>
/// Gives every response an X-Request-ID: the caller's, when it is a sane token, or a new one. It also becomes
/// the request's trace identifier and a logging scope, so one id ties a caller's report to our logs.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string Header = "X-Request-ID";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var presented = context.Request.Headers[Header].ToString();
        // Time-ordered (UUID version 7): the ledger indexes its decisions by it, and ids in time order insert at the index's end.
        var id = IsSane(presented) ? presented : Guid.CreateVersion7().ToString("N");
        context.TraceIdentifier = id;
        context.Response.Headers[Header] = id;
        using (logger.BeginScope(new RequestIdScope(id)))
        {
            await next(context);
        }
    }

    // The scope's one property as the list of pairs logging providers read (no dictionary per request).
    private sealed class RequestIdScope(string id) : IReadOnlyList<KeyValuePair<string, object>>
    {
        public int Count => 1;

        public KeyValuePair<string, object> this[int index] =>
            index == 0 ? new("RequestId", id) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
        {
            yield return this[0];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"RequestId:{id}";
    }

    private static bool IsSane(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
