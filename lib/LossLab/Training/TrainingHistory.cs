using Deedle;

namespace LossLab.Training;

/// <summary>
/// What a training run recorded: one row per optimizer step (epoch, loss, learning rate, gradient norm when a clipper
/// measures it) and one row per epoch (mean training loss and the evaluation metrics). Both read as Deedle frames.
/// </summary>
public sealed class TrainingHistory
{
    readonly List<int> stepEpochs = [];
    readonly List<double> losses = [];
    readonly List<double> learningRates = [];
    readonly List<double> gradientNorms = [];
    readonly List<EpochRecord> epochs = [];

    /// <summary>One epoch's summary: its index, the step count at its end, the mean training loss and the metrics.</summary>
    public sealed record EpochRecord(int Epoch, long Step, double TrainLoss, IReadOnlyDictionary<string, double> Metrics);

    /// <summary>Steps recorded.</summary>
    public int StepCount => losses.Count;

    /// <summary>The loss of every step, in order.</summary>
    public IReadOnlyList<double> Losses => losses;

    /// <summary>The learning rate of every step (first parameter group).</summary>
    public IReadOnlyList<double> LearningRates => learningRates;

    /// <summary>The gradient norm measured by the clipper at every step (NaN without a clipper).</summary>
    public IReadOnlyList<double> GradientNorms => gradientNorms;

    /// <summary>The epoch summaries, in order.</summary>
    public IReadOnlyList<EpochRecord> Epochs => epochs;

    internal void AddStep(int epoch, double loss, double learningRate, double gradientNorm)
    {
        stepEpochs.Add(epoch);
        losses.Add(loss);
        learningRates.Add(learningRate);
        gradientNorms.Add(gradientNorm);
    }

    internal void AddEpoch(EpochRecord record) => epochs.Add(record);

    /// <summary>The mean loss of the steps of <paramref name="epoch"/> (NaN when it has none).</summary>
    public double MeanLoss(int epoch)
    {
        double sum = 0;
        int n = 0;
        for (int i = stepEpochs.Count - 1; i >= 0 && stepEpochs[i] >= epoch; i--)
            if (stepEpochs[i] == epoch) { sum += losses[i]; n++; }
        return n == 0 ? double.NaN : sum / n;
    }

    /// <summary>One row per step, keyed by step (0-based): columns epoch, loss, lr, grad_norm.</summary>
    public Frame<int, string> StepFrame()
    {
        var keys = Enumerable.Range(0, losses.Count).ToArray();
        var columns = new Dictionary<string, Series<int, double>>
        {
            ["epoch"] = new(keys, stepEpochs.Select(e => (double)e)),
            ["loss"] = new(keys, losses),
            ["lr"] = new(keys, learningRates),
            ["grad_norm"] = new(keys, gradientNorms),
        };
        return Frame.FromColumns(columns);
    }

    /// <summary>One row per epoch, keyed by epoch (0-based): columns step, train_loss, then each evaluation metric.</summary>
    public Frame<int, string> EpochFrame()
    {
        var keys = epochs.Select(e => e.Epoch).ToArray();
        var columns = new Dictionary<string, Series<int, double>>
        {
            ["step"] = new(keys, epochs.Select(e => (double)e.Step)),
            ["train_loss"] = new(keys, epochs.Select(e => e.TrainLoss)),
        };
        foreach (string name in epochs.SelectMany(e => e.Metrics.Keys).Distinct())
            columns[name] = new(keys, epochs.Select(e => e.Metrics.TryGetValue(name, out double v) ? v : double.NaN));
        return Frame.FromColumns(columns);
    }

    internal void Write(BinaryWriter w)
    {
        w.Write(losses.Count);
        for (int i = 0; i < losses.Count; i++)
        {
            w.Write(stepEpochs[i]); w.Write(losses[i]); w.Write(learningRates[i]); w.Write(gradientNorms[i]);
        }
        w.Write(epochs.Count);
        foreach (var e in epochs)
        {
            w.Write(e.Epoch); w.Write(e.Step); w.Write(e.TrainLoss); w.Write(e.Metrics.Count);
            foreach (var (k, v) in e.Metrics) { w.Write(k); w.Write(v); }
        }
    }

    internal void Read(BinaryReader r)
    {
        stepEpochs.Clear(); losses.Clear(); learningRates.Clear(); gradientNorms.Clear(); epochs.Clear();
        int n = r.ReadInt32();
        for (int i = 0; i < n; i++) AddStep(r.ReadInt32(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
        int m = r.ReadInt32();
        for (int i = 0; i < m; i++)
        {
            int epoch = r.ReadInt32();
            long step = r.ReadInt64();
            double loss = r.ReadDouble();
            int k = r.ReadInt32();
            var metrics = new Dictionary<string, double>(k);
            for (int j = 0; j < k; j++) metrics[r.ReadString()] = r.ReadDouble();
            epochs.Add(new EpochRecord(epoch, step, loss, metrics));
        }
    }
}
