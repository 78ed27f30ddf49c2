using System.Globalization;

namespace LossLab.Training;

/// <summary>
/// Prints a few progress lines for a training run (for notebooks and logs, where bars don't render): one line each time
/// another 1/<c>lines</c> of the run is done, plus the last step, with loss, learning rate, speed and the latest
/// evaluation metrics.
/// </summary>
public sealed class SparseProgressPrinter : IProgress<TrainingProgress>
{
    readonly TextWriter writer;
    readonly int lines;
    int printed;
    IReadOnlyDictionary<string, double>? lastMetrics;

    /// <summary>Prints about <paramref name="lines"/> lines to <paramref name="writer"/> (the console by default).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lines"/> is below 1.</exception>
    public SparseProgressPrinter(TextWriter? writer = null, int lines = 10)
    {
        if (lines < 1) throw new ArgumentOutOfRangeException(nameof(lines), lines, "lines must be at least 1.");
        this.writer = writer ?? Console.Out;
        this.lines = lines;
    }

    /// <inheritdoc/>
    public void Report(TrainingProgress value)
    {
        if (value.Metrics is not null) lastMetrics = value.Metrics;
        bool last = value.Step >= value.TotalSteps;
        int bucket = last ? lines : (int)Math.Floor(value.Fraction * lines);
        if (bucket <= printed) return;
        printed = bucket;
        writer.WriteLine(Format(value, lastMetrics));
    }

    /// <summary>One progress line, e.g. "step 450/450 (100%) epoch 30/30 loss 0.0123 lr 1e-3 1,650 steps/s acc=0.983".</summary>
    public static string Format(TrainingProgress p, IReadOnlyDictionary<string, double>? metrics = null)
    {
        var c = CultureInfo.InvariantCulture;
        string s = string.Format(c, "step {0}/{1} ({2:0%}) epoch {3}/{4} loss {5:G4} lr {6:G3} {7:N0} steps/s",
            p.Step, p.TotalSteps, p.Fraction, p.Epoch + 1, p.Epochs, p.Loss, p.LearningRate, p.StepsPerSecond);
        if (metrics is { Count: > 0 })
            s += " " + string.Join(" ", metrics.Select(kv => string.Format(c, "{0}={1:G4}", kv.Key, kv.Value)));
        return s;
    }
}
