using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// Random labelling's forget term (RL; the forget half of SalUn, Fan et al. 2024, arXiv:2310.12508): ℓᵢ = CE(zᵢ, ỹᵢ)
/// with ỹᵢ drawn uniformly from the C classes on every call, from this term's own generator.
/// </summary>
/// <remarks>SalUn's code draws ỹ uniformly over all classes, so ỹ may equal the true label; with
/// <c>excludeTrueLabel</c> the draw is uniform over the C − 1 wrong classes instead.</remarks>
public sealed class RandomLabelCrossEntropy : IForgetTerm, IDisposable
{
    readonly Generator generator;

    /// <param name="numClasses">C, the number of classes (≥ 2).</param>
    /// <param name="seed">Seed of the label generator.</param>
    /// <param name="excludeTrueLabel">Draw only wrong labels (default false, as SalUn).</param>
    public RandomLabelCrossEntropy(int numClasses, long seed = 0, bool excludeTrueLabel = false)
    {
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be at least 2.");
        NumClasses = numClasses;
        ExcludeTrueLabel = excludeTrueLabel;
        generator = new Generator((ulong)seed);
    }

    /// <summary>C.</summary>
    public int NumClasses { get; }

    /// <summary>Whether random labels avoid the true label.</summary>
    public bool ExcludeTrueLabel { get; }

    /// <inheritdoc/>
    public string Name => "RL";

    /// <summary>Draws the random labels for <paramref name="labels"/> (the next draw of the generator).</summary>
    public Tensor Draw(Tensor labels)
    {
        if (!ExcludeTrueLabel)
            return randint(0, NumClasses, labels.shape, generator: generator, dtype: ScalarType.Int64).to(labels.device);
        // uniform over the C − 1 wrong labels: y + 1 + U{0 … C − 2} (mod C)
        var offset = randint(0, NumClasses - 1, labels.shape, generator: generator, dtype: ScalarType.Int64).to(labels.device);
        return (labels.to_type(ScalarType.Int64) + 1 + offset).remainder(NumClasses);
    }

    /// <inheritdoc/>
    public Tensor PerSample(Tensor logits, Tensor labels)
    {
        Guard.LogitsAndTargets(logits, labels, nameof(logits), nameof(labels));
        if (logits.shape[1] != NumClasses)
            throw new ArgumentException($"logits must have {NumClasses} columns; got shape {Guard.Shape(logits)}.", nameof(logits));
        var random = Draw(labels);
        return nn.functional.cross_entropy(logits, random, reduction: nn.Reduction.None);
    }

    /// <summary>Frees the generator.</summary>
    public void Dispose() => generator.Dispose();
}
