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
/// k context tokens and the next token), AdamW with cosine decay to 10%, and measure the held-out cross-entropy in nats,
/// whose floor is the chain's exact entropy rate H∞.
/// </summary>
public static class MarkovLmSweep
{
    /// <summary>Trains one model of hidden width <paramref name="width"/> on <paramref name="tokens"/> predicted tokens.</summary>
    public static MarkovLmRun Train(ZipfMarkovChain chain, int width, long tokens, int seed, MarkovLmSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var s = settings ?? new MarkovLmSettings();
        if (s.Context < chain.Order) throw new ArgumentException($"settings.Context = {s.Context} is below the chain's order {chain.Order}.", nameof(settings));
        if (tokens < s.BatchSize) throw new ArgumentOutOfRangeException(nameof(tokens), tokens, $"tokens must be at least one batch ({s.BatchSize}).");
        var watch = Stopwatch.StartNew();
        torch.manual_seed(seed);
        using var model = new MarkovMlpLm(chain.VocabSize, s.Context, s.EmbeddingWidth, width);
        long parameters = ComputeAccounting.NonEmbeddingParameters(model);
        long steps = tokens / s.BatchSize;
        using var optimizer = new Optim.AdamWOptimizer(model.parameters(), s.LearningRate, weightDecay: s.WeightDecay);
        var rng = new Random(unchecked(seed * 7919 + 17));
        var example = new long[s.Context + 1];
        var inputs = new long[s.BatchSize * s.Context];
        var targets = new long[s.BatchSize];
        for (long step = 0; step < steps; step++)
        {
            double lr = s.LearningRate * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * step / Math.Max(1, steps - 1))));
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            Fill(chain, rng, example, inputs, targets, s.Context);
            model.TrainStep(optimizer, inputs, targets, s.Context);
        }
        double heldOut = Evaluate(model, chain, s, seed);
        return new MarkovLmRun(width, parameters, steps * s.BatchSize, heldOut, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Trains every (width, tokens) pair, in order.</summary>
    public static IReadOnlyList<MarkovLmRun> Run(ZipfMarkovChain chain, IEnumerable<int> widths, IEnumerable<long> tokenBudgets, int seed,
        MarkovLmSettings? settings = null, IProgress<MarkovLmRun>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(tokenBudgets);
        var runs = new List<MarkovLmRun>();
        foreach (var d in tokenBudgets)
            foreach (var w in widths)
            {
                var run = Train(chain, w, d, seed, settings);
                runs.Add(run);
                progress?.Report(run);
            }
        return runs;
    }

    /// <summary>Mean held-out cross-entropy (nats) on fresh stationary draws (a fixed evaluation seed per training seed).</summary>
    static double Evaluate(MarkovMlpLm model, ZipfMarkovChain chain, MarkovLmSettings s, int seed)
    {
        var rng = new Random(unchecked(seed * 104729 + 3));
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
            var x = torch.tensor(inputs, [s.BatchSize, s.Context], dtype: ScalarType.Int64);
            var y = torch.tensor(targets, dtype: ScalarType.Int64);
            total += nn.functional.cross_entropy(model.forward(x), y).item<float>();
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
