using System.Text.Json;
using System.Text.Json.Serialization;

namespace LynqDashboard.Core.Scoring;

/// <summary>
/// The scoring answer's serializer, generated at compile time with <see cref="LynqDashboard.Core.Serialization.LynqJson.Compact"/>'s settings: the
/// hot path writes it without reflection-built metadata. A test holds its bytes equal to <see cref="LynqDashboard.Core.Serialization.LynqJson.Compact"/>'s.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.Strict,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreditScoreResult))]
public sealed partial class LynqAnswerJson : JsonSerializerContext;
