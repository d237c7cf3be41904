using System.Globalization;
using System.Text.Json.Nodes;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Web.Configuration;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace LynqDashboard.Web.Endpoints;

/// <summary>
/// The OpenAPI description of the scoring requests, written from <see cref="LoanFeatures"/> (the specification
/// the readers validate against), so the documented type, range, default and description of every field cannot
/// drift from what the endpoints accept. The handlers read their bodies themselves, to name every bad field.
/// </summary>
internal static class ScoringRequestSchemas
{
    /// <summary>The component the single and the batch request refer to.</summary>
    public const string ApplicationComponent = "LoanApplication";

    /// <summary>One application, as the JSON endpoints read it.</summary>
    public static OpenApiSchema Application()
    {
        var properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
        {
            [LoanApplicationJson.WalletAddressField] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                MinLength = 1,
                MaxLength = LoanFeatures.MaxWalletAddressLength,
                Description = $"The caller's id for the application (a wallet address or any id): 1 to {LoanFeatures.MaxWalletAddressLength} characters, no control characters.",
            },
        };
        foreach (var spec in LoanFeatures.Supplied)
        {
            properties[spec.Name] = Feature(spec);
        }

        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = $"One loan application. Unknown, repeated or computed fields ({LoanFeatures.CollateralRatio.Name}) are refused with 422 naming the field.",
            Properties = properties,
            Required = new HashSet<string>([LoanApplicationJson.WalletAddressField, .. LoanFeatures.Supplied.Where(f => !f.IsOptional).Select(f => f.Name)], StringComparer.Ordinal),
            AdditionalPropertiesAllowed = false,
        };
    }

    /// <summary>The request body of <c>POST /api/ml/credit-score</c>.</summary>
    public static Task DescribeSingleAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        operation.RequestBody = Body("application/json", "One application, snake_case JSON (UTF-8).", ApplicationReference(context));
        return Task.CompletedTask;
    }

    /// <summary>The request body of <c>POST /api/ml/credit-score/batch</c>.</summary>
    public static Task DescribeBatchAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var maxBatch = context.ApplicationServices.GetRequiredService<IOptions<ScoringOptions>>().Value.MaxBatch;
        var batch = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                [LoanBatchJson.ApplicationsField] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    MinItems = 1,
                    MaxItems = maxBatch,
                    Items = ApplicationReference(context),
                    Description = "The applications; each bad one is reported by its index and fields, the good ones are scored.",
                },
            },
            Required = new HashSet<string>([LoanBatchJson.ApplicationsField], StringComparer.Ordinal),
            AdditionalPropertiesAllowed = false,
        };
        operation.RequestBody = Body("application/json", $"Up to {maxBatch:N0} applications.", batch);
        return Task.CompletedTask;
    }

    /// <summary>The request body of <c>POST /api/ml/credit-score/batch.csv</c>.</summary>
    public static Task DescribeCsvAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var columns = string.Join(", ", LoanFeatures.Supplied.Select(f => $"{f.Name} ({f.RangeText}{(f.IsOptional ? $", optional, default {FeatureSpec.Format(f.Default!.Value)}" : string.Empty)})"));
        var file = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = $"A CSV file of at most {ApplicationCsv.MaxFileBytes >> 20} MB and {ApplicationCsv.DefaultMaxRows:N0} rows with a header row. Columns: "
                          + $"{LoanApplicationJson.WalletAddressField} (optional), {columns}. Other columns (an id, a note) are not read. One line is one row (at most "
                          + $"{ApplicationCsv.MaxLineLength:N0} characters); a cell starting with = + - @ or a tab is not a number, and a wallet_address starting with one is refused. "
                          + "The answer is a CSV with one row per data row sent, in order: the row's cells as sent (every column, in the file's order), then "
                          + $"{string.Join(", ", ScoredCsv.AnswerColumns)}; a row that could not be scored keeps its cells, leaves the answer empty and names the line and field in {ScoredCsv.ErrorColumn}. "
                          + "A cell a spreadsheet would run as a formula comes back behind an apostrophe.",
        };
        operation.RequestBody = Body("text/csv", "The applications as CSV (UTF-8).", file);
        return Task.CompletedTask;
    }

    private static OpenApiSchema Feature(FeatureSpec spec)
    {
        var unit = spec.Unit.Length > 0 ? $" {spec.Unit}" : string.Empty;
        var optional = spec.Default is { } value ? $"; optional, default {FeatureSpec.Format(value)}" : string.Empty;
        return new OpenApiSchema
        {
            Type = spec.IsInteger ? JsonSchemaType.Integer : JsonSchemaType.Number,
            Title = spec.Label,
            Description = $"{spec.Description} {spec.RangeText}{unit}{optional}.",
            Minimum = Number(spec.Minimum),
            Maximum = Number(spec.Maximum),
            Default = spec.Default is { } d ? (spec.IsInteger ? JsonValue.Create((long)d) : JsonValue.Create(d)) : null,
        };
    }

    // Decimal, so 10^12 is written 1000000000000 rather than 1E+12.
    private static string Number(double value) => ((decimal)value).ToString(CultureInfo.InvariantCulture);

    private static OpenApiRequestBody Body(string contentType, string description, IOpenApiSchema schema) => new()
    {
        Required = true,
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { [contentType] = new OpenApiMediaType { Schema = schema } },
    };

    // One component both JSON requests refer to; inline when there is no document to hold it.
    private static IOpenApiSchema ApplicationReference(OpenApiOperationTransformerContext context)
    {
        if (context.Document is not { } document)
        {
            return Application();
        }

        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        if (!document.Components.Schemas.ContainsKey(ApplicationComponent))
        {
            document.AddComponent(ApplicationComponent, Application());
        }

        return new OpenApiSchemaReference(ApplicationComponent, document);
    }
}
