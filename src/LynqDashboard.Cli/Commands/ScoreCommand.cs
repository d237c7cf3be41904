using System.CommandLine;
using Spectre.Console;
using System.Text.Json;
using LynqDashboard.Core.Features;
using LynqDashboard.Core.Scoring;
using LynqDashboard.Core.Serialization;

namespace LynqDashboard.Cli.Commands;

internal static class ScoreCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "A version folder written by train; without it the rule-based fallback answers (is_fallback: true)." };
        var json = new Option<string>("--json") { Description = "One application as LYNQ JSON, e.g. '{\"wallet_address\":\"0xabc\",\"wallet_age_days\":365,...}'.", Required = true };
        var command = new Command("score", "Score one loan application and print the LYNQ credit-score response as JSON (with reason_codes unless it is approved).") { model, json };
        command.SetAction((parse, ct) => context.GuardAsync(() =>
        {
            if (!LoanApplicationJson.TryParse(parse.GetValue(json)!, out var application, out var errors))
            {
                foreach (var (field, messages) in errors)
                {
                    foreach (var message in messages)
                    {
                        context.Error.WriteLine($"error: {field} {message}");
                    }
                }

                return Task.FromResult(ExitCodes.InvalidInput);
            }

            var scoringModel = parse.GetValue(model) is { } folder ? ScoringModel.Load(folder.FullName) : null;
            // The embedded reason catalogue: the command line reads no dashboard configuration (nor its policy).
            var result = new CreditScorer(RiskPolicy.Default, ReasonCatalogue.Default).Score(application!, scoringModel);
            context.Console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(result, LynqJson.Options));
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
