using System.Diagnostics;
using LossLab.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Scaling;

/// <summary>One trained model of a sweep: hidden width, non-embedding parameters N, training tokens D, held-out loss.</summary>
public sealed record MarkovLmRun(int Width, long Parameters, long Tokens, double Loss, double Seconds)
{
    /// <summary>C = 6ND.</summary>
    public double Flops => ComputeAccounting.TrainingFlops(Parameters, Tokens);
}

/// <summary>Settings of <see cref="MarkovLmSweep"/>.</summary>
/// <param name="Context">Previous tokens the model reads (≥ the chain's order for the loss floor to be H∞).</param>
/// <param name="EmbeddingWidth">Embedding width e.</param>
/// <param name="BatchSize">Predicted tokens per step.</param>
/// <param name="LearningRate">Peak AdamW learning rate (cosine decay to 10%).</param>
/// <param name="WeightDecay">AdamW weight decay.</param>
/// <param name="EvaluationTokens">Held-out predicted tokens for the loss.</param>
public sealed record MarkovLmSettings(int Context = 2, int EmbeddingWidth = 16, int BatchSize = 256, double LearningRate = 3e-3,
    double WeightDecay = 0.0, int EvaluationTokens = 32768);

/// <summary>
/// Scaling sweeps on a Zipfian Markov language (papers.md NB3.1; Kaplan et al. 2020, arXiv:2001.08361): train
/// <see cref="MarkovMlpLm"/>s of several widths for one epoch of D fresh tokens each (every example a stationary draw of
/// k context tokens and the next token), AdamW with cosine decay to 10% (<see cref="Schedule"/>), and measure the held-out cross-entropy in nats,
/// whose floor is the chain's exact entropy rate H∞.
/// </summary>
public static class MarkovLmSweep
{
    /// <summary>The stream of <see cref="Training.Seeds.Random"/> (of the run's seed) that training examples are drawn from.</summary>
    public const int TrainingStream = 1;

    /// <summary>The stream of the held-out examples of evaluation chain i is <c>EvaluationStream + i</c> (of the run's seed).</summary>
    public const int EvaluationStream = 1000;

    /// <summary>The schedule of <see cref="Train"/>: AdamW's rate at step t of T, cosine decay from the peak η to 0.1·η at
    /// the last step, η_t = 0.1·η + 0.9·η·(1 + cos(π·t/max(1, T − 1)))/2 (<see cref="Optim.Schedules.Cosine"/>).</summary>
    public static Func<long, double> Schedule(double peak, long steps) =>
        Optim.Schedules.Cosine(peak, Math.Max(1, steps - 1), 0.1 * peak);

    /// <summary>Trains one model of hidden width <paramref name="width"/> on <paramref name="tokens"/> predicted tokens
    /// (<see cref="Schedule"/> of <see cref="MarkovLmSettings.LearningRate"/>), initialised from <paramref name="seed"/>
    /// (<see cref="Training.Seeds.Fix"/>), with examples from stream <see cref="TrainingStream"/> and a held-out set from
    /// stream <see cref="EvaluationStream"/> of the seed, on <paramref name="device"/> (null: <see cref="Training.Devices.Choose"/>).</summary>
    public static MarkovLmRun Train(ZipfMarkovChain chain, int width, long tokens, int seed, MarkovLmSettings? settings = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var s = settings ?? new MarkovLmSettings();
        if (s.Context < chain.Order) throw new ArgumentException($"settings.Context = {s.Context} is below the chain's order {chain.Order}.", nameof(settings));
        if (tokens < s.BatchSize) throw new ArgumentOutOfRangeException(nameof(tokens), tokens, $"tokens must be at least one batch ({s.BatchSize}).");
        var watch = Stopwatch.StartNew();
        var on = device ?? Training.Devices.Choose();
        Training.Seeds.Fix(seed);
        using var model = new MarkovMlpLm(chain.VocabSize, s.Context, s.EmbeddingWidth, width);
        model.to(on);
        long parameters = ComputeAccounting.NonEmbeddingParameters(model);
        long steps = tokens / s.BatchSize;
        var schedule = Schedule(s.LearningRate, steps);
        using var optimizer = new Optim.AdamWOptimizer(model.parameters(), s.LearningRate, weightDecay: s.WeightDecay);
        var rng = Training.Seeds.Random(seed, TrainingStream);
        var example = new long[s.Context + 1];
        var inputs = new long[s.BatchSize * s.Context];
        var targets = new long[s.BatchSize];
        for (long step = 0; step < steps; step++)
        {
            Optim.Schedules.Apply(schedule, optimizer, step);
            Fill(chain, rng, example, inputs, targets, s.Context);
            model.TrainStep(optimizer, inputs, targets, s.Context, on);
        }
        double heldOut = Evaluate(model, chain, s, seed, on);
        return new MarkovLmRun(width, parameters, steps * s.BatchSize, heldOut, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Trains every (width, tokens) pair, in order.</summary>
    public static IReadOnlyList<MarkovLmRun> Run(ZipfMarkovChain chain, IEnumerable<int> widths, IEnumerable<long> tokenBudgets, int seed,
        MarkovLmSettings? settings = null, IProgress<MarkovLmRun>? progress = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(tokenBudgets);
        var runs = new List<MarkovLmRun>();
        foreach (var d in tokenBudgets)
            foreach (var w in widths)
            {
                var run = Train(chain, w, d, seed, settings, device);
                runs.Add(run);
                progress?.Report(run);
            }
        return runs;
    }

    /// <summary>Mean held-out cross-entropy (nats) on fresh stationary draws (a fixed evaluation seed per training seed).</summary>
    static double Evaluate(MarkovMlpLm model, ZipfMarkovChain chain, MarkovLmSettings s, int seed, Device device)
    {
        var rng = Training.Seeds.Random(seed, EvaluationStream);
        int batches = Math.Max(1, s.EvaluationTokens / s.BatchSize);
        var example = new long[s.Context + 1];
        var inputs = new long[s.BatchSize * s.Context];
        var targets = new long[s.BatchSize];
        double total = 0;
        using var noGrad = torch.no_grad();
        for (int b = 0; b < batches; b++)
        {
            Fill(chain, rng, example, inputs, targets, s.Context);
            using var scope = torch.NewDisposeScope();
            var x = torch.tensor(inputs, [s.BatchSize, s.Context], dtype: ScalarType.Int64, device: device);
            var y = torch.tensor(targets, dtype: ScalarType.Int64, device: device);
            total += nn.functional.cross_entropy(model.forward(x), y).cpu().item<float>();
        }
        return total / batches;
    }

    static void Fill(ZipfMarkovChain chain, Random rng, long[] example, long[] inputs, long[] targets, int context)
    {
        for (int i = 0; i < targets.Length; i++)
        {
            chain.Generate(example, rng);
            Array.Copy(example, 0, inputs, i * context, context);
            targets[i] = example[context];
        }
    }
}
