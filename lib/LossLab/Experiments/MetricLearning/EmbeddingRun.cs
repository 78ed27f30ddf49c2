using LossLab.Evaluation;
using LossLab.Training;

namespace LossLab.Experiments.MetricLearning;

/// <summary>
/// The record of one run of an <see cref="EmbeddingBench"/> (or of a reference point: an untrained encoder, the raw
/// inputs): the method and seed, how training ended, the training-loss curve, the retrieval scores, and named scores and
/// vectors measured on the test set's embeddings (the bench's built-in names are the constants below; a bench's
/// <see cref="EmbeddingBench.Measure"/> adds its own).
/// </summary>
/// <param name="Method">The method (or reference point) name.</param>
/// <param name="Seed">The seed.</param>
/// <param name="LearningRate">The method's learning rate (NaN for a reference point).</param>
/// <param name="Status">How training ended (<see cref="TrainingStatus.NonFinite"/>: stopped at a non-finite loss, the
/// model scored with the parameters of the step before).</param>
/// <param name="Losses">The training loss of every step taken.</param>
/// <param name="Retrieval">Retrieval scores of the test set against itself (null when the bench asks for none).</param>
/// <param name="Scores">Named scores.</param>
/// <param name="Vectors">Named vectors (per-image, per-class or per-group values).</param>
public sealed record EmbeddingRun(string Method, int Seed, double LearningRate, TrainingStatus Status, IReadOnlyList<double> Losses,
    RetrievalScores? Retrieval, IReadOnlyDictionary<string, double> Scores, IReadOnlyDictionary<string, double[]> Vectors)
{
    /// <summary>Name of the k-NN accuracy of the test set against the reference set.</summary>
    public const string KnnScore = "knn";
    /// <summary>Name of L_unif of the test embeddings (Wang and Isola, arXiv:2005.10242).</summary>
    public const string UniformityScore = "uniformity";
    /// <summary>Name of L_align of two augmented views of the test set.</summary>
    public const string AlignmentScore = "alignment";
    /// <summary>Name of the tolerance, the mean same-class cosine (Wang and Liu, arXiv:2012.09740).</summary>
    public const string ToleranceScore = "tolerance";
    /// <summary>Name of the spread, the mean pairwise distance of the L2-normalised test embeddings (0 when collapsed).</summary>
    public const string SpreadScore = "spread";
    /// <summary>Name of TAR at the bench's FAR over all test pairs.</summary>
    public const string TarScore = "tar";
    /// <summary>Name of the ROC AUC of genuine against impostor pairs.</summary>
    public const string AurocScore = "auroc";

    /// <summary>True when training stopped at a non-finite loss.</summary>
    public bool NonFinite => Status == TrainingStatus.NonFinite;

    /// <summary>The score named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">It was not measured; the message lists what was.</exception>
    public double this[string name] => Scores.TryGetValue(name, out var v) ? v
        : throw new KeyNotFoundException($"Run '{Method}' (seed {Seed}) has no score '{name}'; it has [{string.Join(", ", Scores.Keys)}].");

    /// <summary>The vector named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">It was not measured; the message lists what was.</exception>
    public double[] Vector(string name) => Vectors.TryGetValue(name, out var v) ? v
        : throw new KeyNotFoundException($"Run '{Method}' (seed {Seed}) has no vector '{name}'; it has [{string.Join(", ", Vectors.Keys)}].");

    /// <summary>Recall@<paramref name="k"/> (P@1 for k = 1, the DML papers' "Recall@1") of the test set.</summary>
    public double RecallAt(int k) => (Retrieval ?? throw new InvalidOperationException($"Run '{Method}' has no retrieval scores: set the bench's RecallAtK."))
        .RecallAtK.TryGetValue(k, out var v) ? v
        : throw new KeyNotFoundException($"Run '{Method}' has no Recall@{k}; it has K in [{string.Join(", ", Retrieval.RecallAtK.Keys)}].");

    /// <summary>MAP@R of the test set.</summary>
    public double MapAtR => (Retrieval ?? throw new InvalidOperationException($"Run '{Method}' has no retrieval scores: set the bench's RecallAtK.")).MapAtR;

    /// <summary>k-NN accuracy (<see cref="KnnScore"/>).</summary>
    public double Knn => this[KnnScore];
    /// <summary>L_unif (<see cref="UniformityScore"/>).</summary>
    public double Uniformity => this[UniformityScore];
    /// <summary>L_align (<see cref="AlignmentScore"/>).</summary>
    public double Alignment => this[AlignmentScore];
    /// <summary>Tolerance (<see cref="ToleranceScore"/>).</summary>
    public double Tolerance => this[ToleranceScore];
    /// <summary>Spread (<see cref="SpreadScore"/>).</summary>
    public double Spread => this[SpreadScore];
    /// <summary>TAR@FAR (<see cref="TarScore"/>).</summary>
    public double Tar => this[TarScore];
    /// <summary>ROC AUC (<see cref="AurocScore"/>).</summary>
    public double Auroc => this[AurocScore];

    /// <summary>The mean training loss of the last <paramref name="steps"/> steps (NaN when no step was taken).</summary>
    public double FinalLoss(int steps = 20) => Losses.Count == 0 ? double.NaN : Losses.TakeLast(Math.Max(1, steps)).Average();
}
