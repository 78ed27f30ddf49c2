using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// Random labelling's forget term (RL; the forget half of SalUn, Fan et al. 2024, arXiv:2310.12508): ℓᵢ = CE(zᵢ, ỹᵢ)
/// with ỹᵢ drawn uniformly from the C classes at every call, i.e. for every forget batch, from this term's own seeded
/// generator (stream 0 of <see cref="LossLab.Training.Seeds.Generator"/> of the seed: same seed, same labels).
/// </summary>
/// <remarks>As SalUn's code (<c>unlearn/RL.py</c>): its CIFAR-10/SVHN branch draws <c>torch.randint(0, C, target.shape)</c>
/// for every forget batch and its CIFAR-100/Tiny-ImageNet branch re-draws the forget set's targets every epoch, both
/// uniform over all C classes, so ỹ may equal the true label (probability 1/C per draw, a different sample each time).
/// LossLab re-draws at every call (the CIFAR-10 branch) by default. Departures are explicit opt-ins:
/// <c>excludeTrueLabel</c> draws uniformly over the C − 1 wrong classes; <c>fixedPerSample</c> keeps one label per forget
/// sample for the whole run, ỹᵢ = h(seed, i) mod C (h = <see cref="LossLab.Training.Seeds.Derive"/>, i read through
/// <see cref="UnlearningBatch.ForgetIndex"/>), which is not SalUn's protocol: about 1/C of D_f then keeps its true label
/// throughout and is trained to stay correct, which puts a floor of ≈ 100/C % under the forget accuracy.</remarks>
public sealed class RandomLabelCrossEntropy : IForgetTerm, IDisposable
{
    readonly Generator generator;

    /// <param name="numClasses">C, the number of classes (≥ 2).</param>
    /// <param name="seed">Seed of the label generator.</param>
    /// <param name="excludeTrueLabel">Draw only wrong labels (default false: SalUn draws over all C classes).</param>
    /// <param name="fixedPerSample">Keep one random label per forget sample for the run (default false: labels are re-drawn
    /// for every batch, as SalUn).</param>
    public RandomLabelCrossEntropy(int numClasses, long seed = 0, bool excludeTrueLabel = false, bool fixedPerSample = false)
    {
        Seed = seed;
        FixedPerSample = fixedPerSample;
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "numClasses must be at least 2.");
        NumClasses = numClasses;
        ExcludeTrueLabel = excludeTrueLabel;
        generator = LossLab.Training.Seeds.Generator(seed, 0);
    }

    /// <summary>C.</summary>
    public int NumClasses { get; }

    /// <summary>The seed of the labels.</summary>
    public long Seed { get; }

    /// <summary>Whether each forget sample keeps one random label for the run (an opt-in; SalUn re-draws).</summary>
    public bool FixedPerSample { get; }

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

    /// <summary>The fixed random labels of forget samples at positions <paramref name="index"/> (int64) with true
    /// labels <paramref name="labels"/>: h(seed, i) mod C, or y + 1 + h(seed, i) mod (C − 1) (mod C) without the true label.</summary>
    public Tensor FixedLabels(Tensor index, Tensor labels)
    {
        Guard.Labels(index, nameof(index));
        Guard.SameShape(labels, index, nameof(labels), nameof(index));
        var positions = index.cpu().to_type(ScalarType.Int64).data<long>().ToArray();
        var y = labels.cpu().to_type(ScalarType.Int64).data<long>().ToArray();
        var drawn = new long[positions.Length];
        for (int k = 0; k < positions.Length; k++)
        {
            long h = LossLab.Training.Seeds.Derive(Seed, positions[k]);
            drawn[k] = ExcludeTrueLabel ? (y[k] + 1 + h % (NumClasses - 1)) % NumClasses : h % NumClasses;
        }
        return tensor(drawn, dtype: ScalarType.Int64).to(labels.device);
    }

    /// <inheritdoc/>
    public Tensor PerSample(Tensor logits, Tensor labels, UnlearningBatch batch)
    {
        if (!FixedPerSample || batch.ForgetIndex is null) return PerSample(logits, labels);
        Guard.LogitsAndTargets(logits, labels, nameof(logits), nameof(labels));
        if (logits.shape[1] != NumClasses)
            throw new ArgumentException($"logits must have {NumClasses} columns; got shape {Guard.Shape(logits)}.", nameof(logits));
        return nn.functional.cross_entropy(logits, FixedLabels(batch.ForgetIndex, labels), reduction: nn.Reduction.None);
    }

    /// <summary>Frees the generator.</summary>
    public void Dispose() => generator.Dispose();
}
