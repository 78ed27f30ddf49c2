using LossLab.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Data;

public class ZipfMarkovChainTests
{
    /// <summary>Plug-in estimate of the entropy rate from a long sample only: Σ_c (n_c/n)·H(empirical next | c), the
    /// context being the previous <paramref name="order"/> tokens.</summary>
    static double EmpiricalEntropyRate(long[] tokens, int order, int vocab)
    {
        var counts = new Dictionary<long, Dictionary<long, int>>();
        for (int t = order; t < tokens.Length; t++)
        {
            long context = order == 1 ? tokens[t - 1] : tokens[t - 2] * vocab + tokens[t - 1];
            if (!counts.TryGetValue(context, out var next)) counts[context] = next = [];
            next[tokens[t]] = next.GetValueOrDefault(tokens[t]) + 1;
        }
        double n = tokens.Length - order, h = 0;
        foreach (var next in counts.Values)
        {
            double total = next.Values.Sum();
            foreach (var k in next.Values) h -= k / n * Math.Log(k / total);
        }
        return h;
    }

    [Theory]
    [InlineData(16, 1.1, 4, 1)]
    [InlineData(32, 0.8, 6, 1)]
    [InlineData(8, 1.1, 3, 2)]
    public void Entropy_rate_matches_a_long_empirical_estimate(int vocab, double s, int branching, int order)
    {
        var chain = new ZipfMarkovChain(vocab, s, branching, order, seed: 11);
        var tokens = new long[2_000_000];
        chain.Generate(tokens, new Random(5));
        double empirical = EmpiricalEntropyRate(tokens, order, vocab);
        // Plug-in bias is about −(b − 1)·contexts/(2n) and the sampling error about 1e-3 nats here.
        Assert.True(Math.Abs(empirical - chain.EntropyRate) < 3e-3, $"exact {chain.EntropyRate:F5}, empirical {empirical:F5}");
        Assert.True(chain.EntropyRate > 0 && chain.EntropyRate < Math.Log(branching));
    }

    [Fact]
    public void Stationary_distribution_is_invariant_and_weights_the_conditional_entropies()
    {
        var chain = new ZipfMarkovChain(12, 1.2, 4, 2, seed: 3);
        var pi = chain.StationaryDistribution;
        Assert.Equal(1.0, pi.Sum(), 1e-12);
        var next = new double[chain.ContextCount];
        for (int c = 0; c < chain.ContextCount; c++)
        {
            var succ = chain.Successors(c); var prob = chain.Probabilities(c);
            Assert.Equal(1.0, prob.ToArray().Sum(), 1e-12);
            Assert.Equal(succ.Length, succ.ToArray().Distinct().Count());
            for (int j = 0; j < succ.Length; j++) next[(c % 12) * 12 + succ[j]] += pi[c] * prob[j];
        }
        for (int c = 0; c < chain.ContextCount; c++) Assert.Equal(pi[c], next[c], 1e-12);
        double rate = 0;
        for (int c = 0; c < chain.ContextCount; c++)
        {
            double h = 0;
            foreach (var p in chain.Probabilities(c)) h -= p * Math.Log(p);
            Assert.Equal(h, chain.ConditionalEntropy(c), 1e-12);
            rate += pi[c] * h;
        }
        Assert.Equal(rate, chain.EntropyRate, 1e-12);
    }

    [Fact]
    public void Uniform_transitions_have_entropy_log_b()
    {
        var chain = new ZipfMarkovChain(20, 0, 5, 1, seed: 1);
        Assert.Equal(Math.Log(5), chain.EntropyRate, 1e-12);
        Assert.Equal(0.0, new ZipfMarkovChain(10, 1.1, 1).EntropyRate, 1e-15);
    }

    [Fact]
    public void Samples_are_seeded_int64_tensors_of_valid_transitions()
    {
        var chain = new ZipfMarkovChain(16, 1.1, 4, 1, seed: 2);
        using var a = chain.Sample(8, 64, seed: 9);
        using var b = chain.Sample(8, 64, seed: 9);
        using var c = chain.Sample(8, 64, seed: 10);
        Assert.Equal(ScalarType.Int64, a.dtype);
        Assert.Equal([8L, 64L], a.shape);
        Assert.Equal(a.data<long>().ToArray(), b.data<long>().ToArray());
        Assert.NotEqual(a.data<long>().ToArray(), c.data<long>().ToArray());
        var data = a.data<long>().ToArray();
        for (int s = 0; s < 8; s++)
            for (int t = 1; t < 64; t++)
                Assert.True(chain.Probability((int)data[s * 64 + t - 1], (int)data[s * 64 + t]) > 0);
        Assert.Equal(2, chain.Seed);
        Assert.Equal(chain.Successors(3).ToArray(), new ZipfMarkovChain(16, 1.1, 4, 1, seed: 2).Successors(3).ToArray());
    }

    [Fact]
    public void Mixture_entropy_is_the_weighted_entropy_and_rows_follow_their_chain()
    {
        var a = new ZipfMarkovChain(16, 1.1, 4, 1, seed: 1);
        var b = new ZipfMarkovChain(16, 0.5, 6, 1, seed: 2);
        var mix = new ZipfMarkovMixture([a, b], [3, 1]);
        Assert.Equal(0.75 * a.EntropyRate + 0.25 * b.EntropyRate, mix.EntropyRate, 1e-12);
        using var tokens = mix.Sample(200, 32, seed: 4, out var chainOfRow);
        var data = tokens.data<long>().ToArray();
        for (int s = 0; s < 200; s++)
        {
            var chain = chainOfRow[s] == 0 ? a : b;
            for (int t = 1; t < 32; t++) Assert.True(chain.Probability((int)data[s * 32 + t - 1], (int)data[s * 32 + t]) > 0);
        }
        double share = chainOfRow.Count(k => k == 0) / 200.0;
        Assert.InRange(share, 0.65, 0.85);
    }

    [Fact]
    public void Bad_arguments_throw_naming_the_argument()
    {
        Assert.Equal("vocabSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ZipfMarkovChain(1)).ParamName);
        Assert.Equal("zipfExponent", Assert.Throws<ArgumentOutOfRangeException>(() => new ZipfMarkovChain(8, -1)).ParamName);
        Assert.Equal("branching", Assert.Throws<ArgumentOutOfRangeException>(() => new ZipfMarkovChain(8, 1, 9)).ParamName);
        Assert.Equal("order", Assert.Throws<ArgumentOutOfRangeException>(() => new ZipfMarkovChain(8, 1, 2, 3)).ParamName);
        Assert.Equal("vocabSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ZipfMarkovChain(5000, 1, 2, 2)).ParamName);
        var chain = new ZipfMarkovChain(8, 1, 2);
        Assert.Equal("sequences", Assert.Throws<ArgumentOutOfRangeException>(() => chain.Sample(0, 4, 0)).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentOutOfRangeException>(() => chain.Sample(1, 0, 0)).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => new ZipfMarkovMixture([chain], [1, 2])).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => new ZipfMarkovMixture([chain], [0])).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentOutOfRangeException>(() => new ZipfMarkovMixture([chain], [-1])).ParamName);
        Assert.Equal("chains", Assert.Throws<ArgumentException>(() => new ZipfMarkovMixture([chain, new ZipfMarkovChain(9, 1, 2)], [1, 1])).ParamName);
    }
}
