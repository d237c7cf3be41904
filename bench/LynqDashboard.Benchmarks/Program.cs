using BenchmarkDotNet.Running;
using LynqDashboard.Benchmarks;

// `scenarios` runs the end-to-end targets, each in a fresh child process so peak memory is its own;
// `scenario NAME` runs one of them; anything else goes to BenchmarkDotNet (e.g. --filter *Scoring*).
return args switch
{
    ["scenarios", .. var names] => await Scenarios.RunAllAsync(names),
    ["scenario", var name] => await Scenarios.RunOneAsync(name),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(ScoringBenchmarks).Assembly).Run(args);
    return 0;
}
