using LynqDashboard.Cli;
using Spectre.Console;

return await CliApp.RunAsync(args, AnsiConsole.Console, Console.Error).ConfigureAwait(false);
