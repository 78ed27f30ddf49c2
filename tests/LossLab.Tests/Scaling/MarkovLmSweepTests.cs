using LossLab.Data;
using LossLab.Scaling;
using Xunit.Abstractions;

namespace LossLab.Tests.Scaling;

public class MarkovLmSweepTests(ITestOutputHelper output)
{
    [Fact]
    public void A_trained_model_approaches_but_does_not_beat_the_entropy_rate()
    {
        var chain = new ZipfMarkovChain(16, 1.1, 4, 1, seed: 3);
        var settings = new MarkovLmSettings(EvaluationTokens: 16384);
        var small = MarkovLmSweep.Train(chain, width: 2, tokens: 1 << 11, seed: 1, settings);
        var large = MarkovLmSweep.Train(chain, width: 32, tokens: 1 << 15, seed: 1, settings);
        output.WriteLine($"H∞ {chain.EntropyRate:F4}; small {small}; large {large}");
        // The evaluation mean over 16,384 tokens has a standard error of about 0.01 nats; 128 steps leave the model
        // about 0.1 nats above the floor.
        Assert.True(large.Loss > chain.EntropyRate - 0.04, $"{large.Loss} below H∞ = {chain.EntropyRate}");
        Assert.True(large.Loss < chain.EntropyRate + 0.2, $"{large.Loss} far above H∞ = {chain.EntropyRate}");
        Assert.True(small.Loss > large.Loss + 0.05, $"small {small.Loss}, large {large.Loss}");
        // Non-embedding parameters: k·e·h + h + h·V + V with k = 2, e = 16.
        Assert.Equal(2 * 16 * 32 + 32 + 32 * 16 + 16, large.Parameters);
        Assert.Equal(1 << 15, large.Tokens);
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        var chain = new ZipfMarkovChain(8, 1, 2, 2);
        Assert.Equal("settings", Assert.Throws<ArgumentException>(() => MarkovLmSweep.Train(chain, 4, 1024, 0, new MarkovLmSettings(Context: 1))).ParamName);
        Assert.Equal("tokens", Assert.Throws<ArgumentOutOfRangeException>(() => MarkovLmSweep.Train(chain, 4, 10, 0)).ParamName);
        Assert.Equal("width", Assert.Throws<ArgumentOutOfRangeException>(() => new MarkovMlpLm(8, 2, 4, 0)).ParamName);
    }
}
