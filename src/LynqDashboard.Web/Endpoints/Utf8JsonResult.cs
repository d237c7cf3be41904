using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LynqDashboard.Web.Endpoints;

/// <summary>
/// A 200 JSON answer serialised as UTF-8 straight into a per-thread buffer and copied once into the response with its
/// Content-Length: no string, no transcoding and no media-type parsing per request (what <c>TypedResults.Content</c>
/// costs on the scoring hot path). The bytes are the same as <c>JsonSerializer.Serialize(value, options)</c> gives.
/// </summary>
public sealed class Utf8JsonResult<T>(T value, JsonTypeInfo<T> typeInfo) : IResult, IContentTypeHttpResult, IStatusCodeHttpResult, IValueHttpResult<T>
{
    // A buffer grown past this is dropped after use, so one large answer does not stay pinned to a thread.
    private const int KeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public string ContentType => "application/json";

    public int? StatusCode => StatusCodes.Status200OK;

    public T Value => value;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        JsonSerializer.Serialize(writer, value, typeInfo);
        writer.Flush();

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = buffer.WrittenCount;
        var body = response.BodyWriter;
        buffer.WrittenSpan.CopyTo(body.GetSpan(buffer.WrittenCount));
        body.Advance(buffer.WrittenCount);
        if (buffer.Capacity > KeptCapacity)
        {
            (t_buffer, t_writer) = (null, null);
        }

        return body.FlushAsync(httpContext.RequestAborted).AsTask();
    }
}
