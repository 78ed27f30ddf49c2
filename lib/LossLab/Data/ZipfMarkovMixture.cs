using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Data;

/// <summary>
/// A mixture of <see cref="ZipfMarkovChain"/>s over one vocabulary: each sequence comes from chain k with probability
/// w_k (a corpus of domains with mixture weights, as in data-mixture scaling laws). Its entropy rate is
/// H∞ = Σ_k w_k·H∞(k): which chain produced a sequence costs O(1) nats per sequence, nothing per token in the limit
/// (a model with a finite context pays more until it has identified the chain).
/// </summary>
public sealed class ZipfMarkovMixture
{
    readonly ZipfMarkovChain[] chains;
    readonly double[] weights, cumulative;

    /// <summary>Mixes <paramref name="chains"/> with <paramref name="weights"/> (normalised to sum to 1).</summary>
    /// <exception cref="ArgumentException">No chains, counts differ, vocabularies differ, or a weight is negative, or all are 0.</exception>
    public ZipfMarkovMixture(IReadOnlyList<ZipfMarkovChain> chains, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(chains);
        ArgumentNullException.ThrowIfNull(weights);
        if (chains.Count == 0) throw new ArgumentException("chains must hold at least one chain.", nameof(chains));
        if (weights.Count != chains.Count)
            throw new ArgumentException($"weights must have one value per chain: {chains.Count} chains, {weights.Count} weights.", nameof(weights));
        if (chains.Any(c => c.VocabSize != chains[0].VocabSize))
            throw new ArgumentException($"chains must share one vocabulary; sizes are {string.Join(", ", chains.Select(c => c.VocabSize))}.", nameof(chains));
        double total = 0;
        foreach (var w in weights)
        {
            if (!(w >= 0) || !double.IsFinite(w)) throw new ArgumentOutOfRangeException(nameof(weights), w, "weights must be non-negative and finite.");
            total += w;
        }
        if (!(total > 0)) throw new ArgumentException("weights must not all be 0.", nameof(weights));
        this.chains = [.. chains];
        this.weights = weights.Select(w => w / total).ToArray();
        cumulative = new double[this.weights.Length];
        double acc = 0;
        for (int k = 0; k < cumulative.Length; k++) cumulative[k] = acc += this.weights[k];
        cumulative[^1] = 1.0;
        EntropyRate = this.chains.Zip(this.weights, (c, w) => w * c.EntropyRate).Sum();
    }

    /// <summary>The chains.</summary>
    public IReadOnlyList<ZipfMarkovChain> Chains => chains;

    /// <summary>The normalised weights.</summary>
    public IReadOnlyList<double> Weights => weights;

    /// <summary>The vocabulary size.</summary>
    public int VocabSize => chains[0].VocabSize;

    /// <summary>H∞ = Σ_k w_k·H∞(k), nats per token.</summary>
    public double EntropyRate { get; }

    /// <summary>An int64 tensor (<paramref name="sequences"/>, <paramref name="length"/>); each row from one chain drawn by weight.</summary>
    public Tensor Sample(int sequences, int length, int seed) => Sample(sequences, length, seed, out _);

    /// <summary>As <see cref="Sample(int, int, int)"/>, also returning the chain index of each row.</summary>
    public Tensor Sample(int sequences, int length, int seed, out int[] chainOfRow)
    {
        if (sequences < 1) throw new ArgumentOutOfRangeException(nameof(sequences), sequences, "sequences must be at least 1.");
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "length must be at least 1.");
        var data = new long[(long)sequences * length];
        chainOfRow = new int[sequences];
        var rng = Seeds.Legacy(seed);
        for (int s = 0; s < sequences; s++)
        {
            double u = rng.NextDouble();
            int k = 0;
            while (k < cumulative.Length - 1 && u >= cumulative[k]) k++;
            chainOfRow[s] = k;
            chains[k].Generate(data.AsSpan(s * length, length), rng);
        }
        return torch.tensor(data, [sequences, length], dtype: ScalarType.Int64);
    }
}
