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

    /// <summary>Reads a JSON file; a missing, empty or malformed file fails naming the file and <paramref name="what"/> it should hold.</summary>
    public static T ReadFile<T>(string path, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException($"{path} holds no {what}.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid {what}: {e.Message}", e);
        }
    }

    public static void WriteFile<T>(string path, T value) => File.WriteAllText(path, JsonSerializer.Serialize(value, Options));

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
