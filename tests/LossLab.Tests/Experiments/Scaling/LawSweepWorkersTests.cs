using LossLab.Data;
using LossLab.Experiments.Scaling;
using LossLab.Scaling;

namespace LossLab.Tests.Experiments.Scaling;

/// <summary>A sweep of Markov LM runs in two parts (start, finish) gives, with one or two seeds training at once, the
/// bits of the one-part sweep over <see cref="MarkovLmCurve.Train"/>.</summary>
[Collection(GlobalRandomCollection.Name)]
public class LawSweepWorkersTests
{
    static readonly ZipfMarkovChain Chain = new(32, 1.1, order: 1, seed: 3);
    static readonly MarkovLmSettings Small = new(Context: 1, EmbeddingWidth: 8, BatchSize: 32, EvaluationTokens: 512);
    static readonly double[] Rates = [1e-3, 3e-3];

    static LawSweep<double, MarkovLmCurve> Sweep() => new(Rates, [1, 2, 3], r => $"lr {r}");

    [Fact]
    public void Seeds_trained_at_once_give_the_numbers_of_one_after_another()
    {
        var sequential = Sweep().Run((lr, seed) => MarkovLmCurve.Train([Chain], 16, 30, _ => lr, seed, 10, Small));
        foreach (int workers in new[] { 1, 2 })
        {
            var order = new List<(double, int)>();
            var parallel = Sweep().Run(
                (lr, seed) => MarkovLmCurve.Start([Chain], 16, 30, _ => lr, seed, 10, Small),
                (lr, seed, started) => { using (started) return started.Finish(); },
                r => order.Add((r.Cell, r.Seed)), workers);
            Assert.Equal(6, order.Count);
            foreach (var (lr, seed, run) in sequential.Runs)
            {
                var other = parallel[lr, seed];
                Assert.Equal(run.Parameters, other.Parameters);
                Assert.Equal(run.EvaluationSteps, other.EvaluationSteps);
                Assert.Equal(run.HeldOut[0], other.HeldOut[0]);   // bit for bit
            }
        }
        // Different seeds and rates give different curves, so the comparison above has something to tell apart.
        Assert.NotEqual(sequential[1e-3, 1].HeldOut[0], sequential[1e-3, 2].HeldOut[0]);
        Assert.NotEqual(sequential[1e-3, 1].HeldOut[0], sequential[3e-3, 1].HeldOut[0]);
    }

    [Fact]
    public void A_started_run_trains_once()
    {
        using var started = MarkovLmCurve.Start([Chain], 16, 5, _ => 1e-3, 1, 5, Small);
        var curve = started.Finish();
        Assert.Single(curve.HeldOut[0]);
        Assert.Contains("already been trained", Assert.Throws<InvalidOperationException>(() => started.Finish()).Message);
        started.Dispose();
        Assert.Throws<ObjectDisposedException>(() => started.Finish());
    }
}
