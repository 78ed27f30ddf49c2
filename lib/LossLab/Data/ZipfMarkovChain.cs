using LossLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Data;

/// <summary>
/// A Markov chain over a vocabulary of V tokens with Zipfian statistics, whose exact entropy rate is known — the
/// synthetic language on which scaling-law fits can be checked against the true irreducible loss (Henighan et al. 2020,
/// arXiv:2010.14701, read the constant of "power law plus constant" as the entropy of the data).
/// <para>Construction: tokens have popularity zᵥ ∝ (v + 1)^(−s). Each context (the previous token, or the previous two
/// for order 2) has b successors: a "backbone" token (last token + 1 mod V, which makes the chain irreducible) and b − 1
/// others drawn by popularity without replacement; p(x | c) ∝ z_x over the successors x of c, so the conditional
/// entropies differ between contexts. The entropy rate is H∞ = Σ_c π(c)·H(X | c), π the stationary distribution over contexts and
/// H(X | c) = −Σ_x p(x | c) log p(x | c), in nats.</para>
/// </summary>
public sealed class ZipfMarkovChain
{
    readonly int[] successors;      // contexts × b
    readonly double[] probabilities, cumulative;
    readonly double[] stationary, conditionalEntropy;

    /// <summary>Builds a chain (seeded: the same arguments give the same chain).</summary>
    /// <param name="vocabSize">V ≥ 2.</param>
    /// <param name="zipfExponent">s ≥ 0 (0 gives uniform transitions, H∞ = log b).</param>
    /// <param name="branching">b, successors per context, 1 ≤ b ≤ V.</param>
    /// <param name="order">1 (context = previous token) or 2 (previous two tokens).</param>
    /// <param name="seed">Seed of the construction.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range, or V^order exceeds 2²⁴ contexts.</exception>
    public ZipfMarkovChain(int vocabSize, double zipfExponent = 1.1, int branching = 8, int order = 1, int seed = 0)
    {
        if (vocabSize < 2) throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "vocabSize must be at least 2.");
        Guard.NonNegative(zipfExponent, nameof(zipfExponent));
        if (branching < 1 || branching > vocabSize)
            throw new ArgumentOutOfRangeException(nameof(branching), branching, $"branching must lie in [1, vocabSize = {vocabSize}].");
        if (order is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(order), order, "order must be 1 or 2.");
        long contexts = order == 1 ? vocabSize : (long)vocabSize * vocabSize;
        if (contexts * branching > (1 << 24))
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, $"V^order × b = {contexts * branching} exceeds 2²⁴ transitions.");
        VocabSize = vocabSize; ZipfExponent = zipfExponent; Branching = branching; Order = order; Seed = seed;
        ContextCount = (int)contexts;

        var rng = Seeds.Legacy(seed);
        var popularity = new double[vocabSize];
        for (int v = 0; v < vocabSize; v++) popularity[v] = Math.Pow(v + 1, -zipfExponent);

        successors = new int[ContextCount * branching];
        probabilities = new double[ContextCount * branching];
        cumulative = new double[ContextCount * branching];
        conditionalEntropy = new double[ContextCount];
        var keys = new double[vocabSize];
        var order_ = new int[vocabSize];
        for (int c = 0; c < ContextCount; c++)
        {
            int last = c % vocabSize, backbone = (last + 1) % vocabSize;
            // Weighted sampling without replacement (Efraimidis and Spirakis 2006): the b − 1 largest keys u^(1/w).
            for (int v = 0; v < vocabSize; v++)
            {
                keys[v] = v == backbone ? double.NegativeInfinity : Math.Log(rng.NextDouble()) / popularity[v];
                order_[v] = v;
            }
            Array.Sort(keys, order_);
            int at = rng.Next(branching);   // the backbone's position
            double mass = 0;
            for (int j = 0, k = vocabSize - 1; j < branching; j++)
            {
                int token = j == at ? backbone : order_[k--];
                successors[c * branching + j] = token;
                mass += popularity[token];
            }
            double acc = 0, entropy = 0;
            for (int j = 0; j < branching; j++)
            {
                double p = popularity[successors[c * branching + j]] / mass;
                probabilities[c * branching + j] = p;
                cumulative[c * branching + j] = acc += p;
                entropy -= p * Math.Log(p);
            }
            cumulative[c * branching + branching - 1] = 1.0;
            conditionalEntropy[c] = entropy;
        }

        stationary = Stationary();
        double rate = 0;
        for (int c = 0; c < ContextCount; c++) rate += stationary[c] * conditionalEntropy[c];
        EntropyRate = rate;
    }

    /// <summary>V.</summary>
    public int VocabSize { get; }

    /// <summary>s.</summary>
    public double ZipfExponent { get; }

    /// <summary>b.</summary>
    public int Branching { get; }

    /// <summary>1 or 2.</summary>
    public int Order { get; }

    /// <summary>The construction seed.</summary>
    public int Seed { get; }

    /// <summary>The number of contexts, V^order. Context of tokens (…, x, y) is y for order 1 and x·V + y for order 2.</summary>
    public int ContextCount { get; }

    /// <summary>The exact entropy rate H∞ in nats per token.</summary>
    public double EntropyRate { get; }

    /// <summary>The successors of <paramref name="context"/>.</summary>
    public ReadOnlySpan<int> Successors(int context) => successors.AsSpan(context * Branching, Branching);

    /// <summary>p(successor | <paramref name="context"/>), aligned with <see cref="Successors"/>.</summary>
    public ReadOnlySpan<double> Probabilities(int context) => probabilities.AsSpan(context * Branching, Branching);

    /// <summary>p(<paramref name="token"/> | <paramref name="context"/>), 0 for a non-successor.</summary>
    public double Probability(int context, int token)
    {
        var s = Successors(context);
        for (int j = 0; j < s.Length; j++) if (s[j] == token) return probabilities[context * Branching + j];
        return 0;
    }

    /// <summary>The stationary distribution π over contexts.</summary>
    public IReadOnlyList<double> StationaryDistribution => stationary;

    /// <summary>H(X | context) in nats.</summary>
    public double ConditionalEntropy(int context) => conditionalEntropy[context];

    /// <summary>The context that follows <paramref name="context"/> when <paramref name="token"/> is emitted.</summary>
    public int NextContext(int context, int token) => Order == 1 ? token : (context % VocabSize) * VocabSize + token;

    /// <summary>π by lazy power iteration π ← 0.1·π + 0.9·πP from the uniform distribution (the lazy chain is aperiodic
    /// and has the same stationary distribution) until the L1 change is below 1e-15.</summary>
    double[] Stationary()
    {
        var pi = new double[ContextCount];
        var next = new double[ContextCount];
        Array.Fill(pi, 1.0 / ContextCount);
        for (int iteration = 0; iteration < 200_000; iteration++)
        {
            for (int c = 0; c < ContextCount; c++) next[c] = 0.1 * pi[c];
            for (int c = 0; c < ContextCount; c++)
            {
                double mass = 0.9 * pi[c];
                if (mass == 0) continue;
                int baseIndex = c * Branching;
                for (int j = 0; j < Branching; j++)
                    next[NextContext(c, successors[baseIndex + j])] += mass * probabilities[baseIndex + j];
            }
            double change = 0, total = 0;
            for (int c = 0; c < ContextCount; c++) { change += Math.Abs(next[c] - pi[c]); total += next[c]; }
            for (int c = 0; c < ContextCount; c++) pi[c] = next[c] / total;
            if (change < 1e-15) break;
        }
        return pi;
    }

    /// <summary>Draws a context from π.</summary>
    internal int DrawStationaryContext(Random rng)
    {
        double u = rng.NextDouble(), acc = 0;
        for (int c = 0; c < ContextCount; c++) { acc += stationary[c]; if (u < acc) return c; }
        return ContextCount - 1;
    }

    /// <summary>Draws the next token from <paramref name="context"/>.</summary>
    internal int DrawNext(int context, Random rng)
    {
        double u = rng.NextDouble();
        int baseIndex = context * Branching;
        for (int j = 0; j < Branching; j++) if (u < cumulative[baseIndex + j]) return successors[baseIndex + j];
        return successors[baseIndex + Branching - 1];
    }

    /// <summary>Fills <paramref name="tokens"/> with a stretch of the stationary process: the first context is drawn from π
    /// (its tokens are the first <see cref="Order"/> tokens written), then each token from p(· | context).</summary>
    public void Generate(Span<long> tokens, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (tokens.IsEmpty) return;
        int context = DrawStationaryContext(rng);
        int start;
        if (Order == 1) { tokens[0] = context; start = 1; }
        else
        {
            tokens[0] = context / VocabSize;
            if (tokens.Length == 1) return;
            tokens[1] = context % VocabSize;
            start = 2;
        }
        for (int t = start; t < tokens.Length; t++)
        {
            int token = DrawNext(context, rng);
            tokens[t] = token;
            context = NextContext(context, token);
        }
    }

    /// <summary>An int64 tensor (<paramref name="sequences"/>, <paramref name="length"/>) of independent stretches of the
    /// stationary process, seeded by <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public Tensor Sample(int sequences, int length, int seed)
    {
        if (sequences < 1) throw new ArgumentOutOfRangeException(nameof(sequences), sequences, "sequences must be at least 1.");
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "length must be at least 1.");
        var data = new long[(long)sequences * length];
        var rng = Seeds.Legacy(seed);
        for (int s = 0; s < sequences; s++) Generate(data.AsSpan(s * length, length), rng);
        return torch.tensor(data, [sequences, length], dtype: ScalarType.Int64);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Zipf–Markov chain V = {VocabSize}, s = {ZipfExponent}, b = {Branching}, order {Order}, H∞ = {EntropyRate:F6} nats";
}
