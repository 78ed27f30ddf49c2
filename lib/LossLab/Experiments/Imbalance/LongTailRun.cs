using LossLab.Dynamics;
using static TorchSharp.torch;

namespace LossLab.Experiments.Imbalance;

/// <summary>
/// One method's run with one seed on a <see cref="LongTailBench"/>: its scores on the test set, its logits (on the CPU,
/// for calibration, post-hoc adjustment or ranking metrics), the training loss and measured curves per epoch, and, when
/// the bench measures collapse, the neural-collapse geometry of its training features at the end.
/// </summary>
public sealed record LongTailRun
{
    /// <summary>The method.</summary>
    public required string Method { get; init; }

    /// <summary>The seed.</summary>
    public required int Seed { get; init; }

    /// <summary>The method this run was derived from (null for a trained method).</summary>
    public string? From { get; init; }

    /// <summary>The test scores.</summary>
    public required LongTailScores Scores { get; init; }

    /// <summary>Test logits (N, C), float32 on the CPU.</summary>
    public required Tensor TestLogits { get; init; }

    /// <summary>Validation logits, when the bench has a validation set.</summary>
    public Tensor? ValidationLogits { get; init; }

    /// <summary>The checkpoint with the lowest validation NLL (null unless the bench keeps it, <see cref="LongTailBench.EarlyStopping"/>).</summary>
    public LongTailCheckpoint? EarlyStopped { get; init; }

    /// <summary>Mean training loss of each epoch (a stage's epochs follow its source's).</summary>
    public required double[] EpochLoss { get; init; }

    /// <summary>The epochs completed (1-based) at which the curves were measured.</summary>
    public required int[] CurveEpochs { get; init; }

    /// <summary>The measured curves by name, aligned with <see cref="CurveEpochs"/>.</summary>
    public required IReadOnlyDictionary<string, double[]> Curves { get; init; }

    /// <summary>NC1–NC4 and the Fisher ratio of the training features at the end (null unless the bench measures collapse).</summary>
    public NeuralCollapseMetrics? Collapse { get; init; }

    /// <summary>‖μ_c‖ of the raw (uncentred) class means of the training features (null unless the bench measures collapse).</summary>
    public double[]? ClassMeanNorms { get; init; }

    /// <summary>cos(μ_a, μ_b) of the raw class means of the training features (null unless the bench measures collapse).</summary>
    public double[,]? ClassMeanCosines { get; init; }

    /// <summary>Test accuracy.</summary>
    public double Accuracy => Scores.Accuracy;

    /// <summary>Balanced test accuracy.</summary>
    public double BalancedAccuracy => Scores.BalancedAccuracy;

    /// <summary>Many-shot accuracy.</summary>
    public double Many => Scores.Many;

    /// <summary>Medium-shot accuracy.</summary>
    public double Medium => Scores.Medium;

    /// <summary>Few-shot accuracy.</summary>
    public double Few => Scores.Few;

    /// <summary>Per-class test accuracy.</summary>
    public double[] PerClass => Scores.PerClass;

    /// <summary>Classifier-row norms ‖w_c‖.</summary>
    public double[] RowNorms => Scores.RowNorms;

    /// <summary>The per-class logit offsets on the test set: each class's mean test logit minus the mean over classes, in
    /// float64. On a balanced probe, logit adjustment predicts offsets −τ·log π_c up to a constant (Menon et al. 2021,
    /// arXiv:2007.07314); classifier re-training acts as an implicit one (Hasegawa and Sato 2024, arXiv:2305.16573).</summary>
    public double[] LogitOffsets()
    {
        using var logits = TestLogits.to(TorchSharp.torch.ScalarType.Float64);
        using var mean = logits.mean(new long[] { 0 }).cpu();
        var m = mean.data<double>().ToArray();
        double centre = m.Average();
        return m.Select(v => v - centre).ToArray();
    }

    /// <summary>The curve <paramref name="name"/>, aligned with <see cref="CurveEpochs"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such curve; the message names the curves there are.</exception>
    public double[] Curve(string name) => Curves.TryGetValue(name, out var c) ? c
        : throw new KeyNotFoundException($"run '{Method}' (seed {Seed}) has no curve '{name}'; it has [{string.Join(", ", Curves.Keys)}].");

    /// <summary>The value of curve <paramref name="name"/> at the last measurement.</summary>
    public double Last(string name) => Curve(name)[^1];
}

/// <summary>An early-stopped checkpoint of a <see cref="LongTailRun"/>: the epoch (1-based, counted over the run and its
/// sources) whose validation NLL was the lowest, that NLL, and the network's test and validation logits at that epoch
/// (float32 on the CPU).</summary>
public sealed record LongTailCheckpoint(int Epoch, double ValidationNll, Tensor TestLogits, Tensor ValidationLogits) : IDisposable
{
    /// <summary>Disposes the logits.</summary>
    public void Dispose()
    {
        TestLogits.Dispose();
        ValidationLogits.Dispose();
    }
}
