using LynqDashboard.Core.Data;
using LynqDashboard.Core.Training;
using LynqDashboard.Core.Runs;

namespace LynqDashboard.Core.Tests.Shared;

/// <summary>One 50k-row probabilistic dataset and the default model trained on it, shared by a test class.</summary>
public sealed class TrainedModelFixture
{
    public TrainedModelFixture()
    {
        Data = LoanDataset.From(new DatasetGenerator(new DatasetParameters(50_000, 2024)).Rows().ToList());
        Model = new ModelTrainer().Train(Data, new TrainingParameters(), new InlineProgress(Progress.Add));
    }

    public LoanDataset Data { get; }

    public TrainedModel Model { get; }

    public List<TrainingProgress> Progress { get; } = [];

    private sealed class InlineProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        private readonly Lock _gate = new();

        public void Report(TrainingProgress value)
        {
            lock (_gate)
            {
                report(value);
            }
        }
    }
}
