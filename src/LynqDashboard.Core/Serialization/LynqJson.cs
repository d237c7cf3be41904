using System.Text.Json;
using System.Text.Json.Serialization;

namespace LynqDashboard.Core.Serialization;

/// <summary>
/// The one JSON setup for files and the LYNQ contract: snake_case property names. Enums carry their own
/// string converter (the contract's are UPPER_CASE), because a converter here would override theirs.
/// </summary>
public static class LynqJson
{
    public static JsonSerializerOptions Options { get; } = Create(writeIndented: true);

    /// <summary>Same naming as <see cref="Options"/>, one line: for logs and HTTP bodies.</summary>
    public static JsonSerializerOptions Compact { get; } = Create(writeIndented: false);

    private static JsonSerializerOptions Create(bool writeIndented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
            WriteIndented = writeIndented,
            NumberHandling = JsonNumberHandling.Strict,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
