using System.Diagnostics;
using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Scaling;

/// <summary>
/// A <see cref="MarkovLmCurve"/> run whose model is built and initialised (<see cref="MarkovLmCurve.Start"/>) and not yet
/// trained: <see cref="Finish"/> trains it once and returns the curve. Disposing releases the model.
/// </summary>
public sealed class MarkovLmStart : IDisposable
{
    readonly MarkovMlpLm model;
    readonly Device on;
    readonly IReadOnlyList<ZipfMarkovChain> trainChains, evalChains;
    readonly double[] cumulative, rates;
    readonly int width, seed, evaluateEvery;
    readonly MarkovLmSettings s;
    readonly Stopwatch watch;
    bool finished, disposed;

    internal MarkovLmStart(MarkovMlpLm model, int width, Device on, IReadOnlyList<ZipfMarkovChain> trainChains, double[] cumulative,
        IReadOnlyList<ZipfMarkovChain> evalChains, double[] rates, int seed, int evaluateEvery, MarkovLmSettings settings, Stopwatch watch)
    {
        (this.model, this.width, this.on, this.trainChains, this.cumulative, this.evalChains) = (model, width, on, trainChains, cumulative, evalChains);
        (this.rates, this.seed, this.evaluateEvery, s, this.watch) = (rates, seed, evaluateEvery, settings, watch);
    }

    /// <summary>Trains the model for every scheduled step and records the held-out losses (see <see cref="MarkovLmCurve.Train"/>).
    /// Uses no global random state: the training examples and held-out sets come from the seed's own streams.</summary>
    /// <exception cref="InvalidOperationException">The run was already finished, or disposed.</exception>
    public MarkovLmCurve Finish()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (finished) throw new InvalidOperationException("This Markov LM run has already been trained; start a new one.");
        finished = true;
        int steps = rates.Length;
        long parameters = ComputeAccounting.NonEmbeddingParameters(model);
        using var optimizer = new Optim.AdamWOptimizer(model.parameters(), rates[0], weightDecay: s.WeightDecay);
        var evalSets = evalChains.Select((c, i) => MarkovLmCurve.EvaluationSet(c, s, seed, MarkovLmSweep.EvaluationStream + i, on)).ToArray();
        var heldOut = evalChains.Select(_ => new List<double>()).ToArray();
        var evalSteps = new List<int>();
        try
        {
            var rng = Training.Seeds.Random(seed, MarkovLmSweep.TrainingStream);
            var example = new long[s.Context + 1];
            var inputs = new long[s.BatchSize * s.Context];
            var targets = new long[s.BatchSize];
            for (int step = 0; step < steps; step++)
            {
                foreach (var group in optimizer.ParamGroups) group.LearningRate = rates[step];
                for (int b = 0; b < s.BatchSize; b++)
                {
                    var chain = trainChains[MarkovLmCurve.Pick(cumulative, rng)];
                    chain.Generate(example, rng);
                    Array.Copy(example, 0, inputs, b * s.Context, s.Context);
                    targets[b] = example[s.Context];
                }
                model.TrainStep(optimizer, inputs, targets, s.Context, on);
                int done = step + 1;
                if (done % evaluateEvery == 0 || done == steps)
                {
                    evalSteps.Add(done);
                    for (int i = 0; i < evalSets.Length; i++) heldOut[i].Add(MarkovLmCurve.Evaluate(model, evalSets[i]));
                }
            }
        }
        finally
        {
            foreach (var (x, y) in evalSets) { x.Dispose(); y.Dispose(); }
        }
        return new MarkovLmCurve(width, parameters, rates, evalSteps, heldOut.Select(h => (IReadOnlyList<double>)h.ToArray()).ToArray(),
            watch.Elapsed.TotalSeconds);
    }

    /// <summary>Releases the model.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        model.Dispose();
    }
}
