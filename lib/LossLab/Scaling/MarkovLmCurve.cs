using System.Diagnostics;
using LossLab.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Scaling;

/// <summary>
/// The loss curve of one <see cref="MarkovMlpLm"/> trained on Zipfian Markov data under a given learning-rate schedule
/// (papers.md NB3.2 and NB3.3): the rate of every step, and the held-out cross-entropy (nats) on a fixed set of fresh
/// stationary draws of each evaluation chain, measured every <c>evaluateEvery</c> steps and after the last step. Training
/// examples are fresh stationary draws (one epoch, no repetition) from the training chains, each example from chain j
/// with probability w_j, so the held-out loss of evaluation chain i has the floor H∞ of that chain when the model reads
/// at least the chain's order.
/// For the multi-power law (Luo et al. 2025, arXiv:2503.12811), the annealing law (Tissue et al. 2024, arXiv:2408.11029)
/// and loss-to-loss lines (Brandfonbrener et al. 2024, arXiv:2411.12925).
/// </summary>
/// <param name="Width">Hidden width h.</param>
/// <param name="Parameters">Non-embedding parameters N.</param>
/// <param name="Rates">The learning rate of step i = 0…T−1 (as applied to AdamW).</param>
/// <param name="EvaluationSteps">Steps after which the held-out losses were measured (steps completed: 1…T).</param>
/// <param name="HeldOut">HeldOut[i][k]: held-out loss on evaluation chain i after <see cref="EvaluationSteps"/>[k] steps.</param>
/// <param name="Seconds">Wall time of training and evaluation.</param>
public sealed record MarkovLmCurve(int Width, long Parameters, IReadOnlyList<double> Rates, IReadOnlyList<int> EvaluationSteps,
    IReadOnlyList<IReadOnlyList<double>> HeldOut, double Seconds)
{
    /// <summary>The last held-out loss on evaluation chain <paramref name="chain"/>.</summary>
    public double Final(int chain = 0) => HeldOut[chain][^1];

    /// <summary>Predicted tokens seen: T × batch size.</summary>
    public long Tokens(int batchSize) => (long)Rates.Count * batchSize;

    /// <summary>
    /// Trains a model of hidden width <paramref name="width"/> for <paramref name="steps"/> AdamW steps at the rates
    /// <paramref name="schedule"/>(i), i = 0…T−1, on examples from <paramref name="trainChains"/> (weights
    /// <paramref name="trainWeights"/>, uniform when null), and records the held-out loss on each of
    /// <paramref name="evaluationChains"/> (the training chains when null). <see cref="MarkovLmSettings.LearningRate"/> is
    /// not used: the schedule gives every rate. The model is initialised from <paramref name="seed"/>
    /// (<see cref="Training.Seeds.Fix"/>); training examples come from stream <see cref="MarkovLmSweep.TrainingStream"/> of the
    /// seed and the held-out set of evaluation chain i from stream <see cref="MarkovLmSweep.EvaluationStream"/> + i, so the
    /// runs of one seed share their initialisation (same width), training stream and held-out sets, whatever the schedule.
    /// Runs on <paramref name="device"/> (null: <see cref="Training.Devices.Choose"/>).
    /// </summary>
    /// <exception cref="ArgumentException">No training chains, weights of the wrong length or not positive and finite,
    /// chains of different vocabularies, or a context shorter than a chain's order.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> or <paramref name="evaluateEvery"/> below 1,
    /// or a scheduled rate that is negative or not finite.</exception>
    public static MarkovLmCurve Train(IReadOnlyList<ZipfMarkovChain> trainChains, int width, int steps, Func<long, double> schedule,
        int seed, int evaluateEvery, MarkovLmSettings? settings = null, IReadOnlyList<double>? trainWeights = null,
        IReadOnlyList<ZipfMarkovChain>? evaluationChains = null, Device? device = null)
    {
        using var started = Start(trainChains, width, steps, schedule, seed, evaluateEvery, settings, trainWeights, evaluationChains, device);
        return started.Finish();
    }

    /// <summary>
    /// The first part of <see cref="Train"/>: checks the arguments, fixes <paramref name="seed"/> and builds the
    /// initialised model, the only part that draws from torch's global generator. <see cref="MarkovLmStart.Finish"/> trains
    /// it (its randomness comes from the seed's own streams), so that the runs of several seeds can train at once
    /// (<see cref="Experiments.Scaling.LawSweep{TCell, TRun}"/>'s two-part <c>Run</c>) with the numbers of <see cref="Train"/>.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Train"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Train"/>.</exception>
    public static MarkovLmStart Start(IReadOnlyList<ZipfMarkovChain> trainChains, int width, int steps, Func<long, double> schedule,
        int seed, int evaluateEvery, MarkovLmSettings? settings = null, IReadOnlyList<double>? trainWeights = null,
        IReadOnlyList<ZipfMarkovChain>? evaluationChains = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(trainChains);
        ArgumentNullException.ThrowIfNull(schedule);
        var s = settings ?? new MarkovLmSettings();
        if (trainChains.Count == 0) throw new ArgumentException("trainChains must hold at least one chain.", nameof(trainChains));
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be at least 1.");
        if (evaluateEvery < 1) throw new ArgumentOutOfRangeException(nameof(evaluateEvery), evaluateEvery, "evaluateEvery must be at least 1.");
        var evalChains = evaluationChains ?? trainChains;
        if (evalChains.Count == 0) throw new ArgumentException("evaluationChains must hold at least one chain.", nameof(evaluationChains));
        int vocab = trainChains[0].VocabSize;
        foreach (var (c, name) in trainChains.Select(c => (c, nameof(trainChains))).Concat(evalChains.Select(c => (c, nameof(evaluationChains)))))
        {
            ArgumentNullException.ThrowIfNull(c, name);
            if (c.VocabSize != vocab) throw new ArgumentException($"every chain must have vocabulary {vocab}; got {c.VocabSize}.", name);
            if (s.Context < c.Order) throw new ArgumentException($"settings.Context = {s.Context} is below a chain's order {c.Order}.", nameof(settings));
        }
        var cumulative = CumulativeWeights(trainWeights, trainChains.Count);

        var rates = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            double lr = schedule(i);
            if (!(lr >= 0) || !double.IsFinite(lr)) throw new ArgumentOutOfRangeException(nameof(schedule), lr, $"schedule({i}) = {lr}: rates must be non-negative and finite.");
            rates[i] = lr;
        }

        var watch = Stopwatch.StartNew();
        var on = device ?? Training.Devices.Choose();
        Training.Seeds.Fix(seed);
        var model = new MarkovMlpLm(vocab, s.Context, s.EmbeddingWidth, width);
        model.to(on);
        return new MarkovLmStart(model, width, on, trainChains, cumulative, evalChains, rates, seed, evaluateEvery, s, watch);
    }

    static double[] CumulativeWeights(IReadOnlyList<double>? weights, int count)
    {
        var cumulative = new double[count];
        if (weights is null)
        {
            for (int j = 0; j < count; j++) cumulative[j] = (j + 1.0) / count;
            return cumulative;
        }
        if (weights.Count != count) throw new ArgumentException($"trainWeights must hold {count} values (one per chain); got {weights.Count}.", "trainWeights");
        double total = 0;
        for (int j = 0; j < count; j++)
        {
            if (!(weights[j] > 0) || !double.IsFinite(weights[j])) throw new ArgumentException($"trainWeights[{j}] = {weights[j]}: weights must be positive and finite.", "trainWeights");
            total += weights[j];
        }
        double run = 0;
        for (int j = 0; j < count; j++) { run += weights[j]; cumulative[j] = run / total; }
        cumulative[^1] = 1;
        return cumulative;
    }

    internal static int Pick(double[] cumulative, Random rng)
    {
        if (cumulative.Length == 1) return 0;
        double u = rng.NextDouble();
        for (int j = 0; j < cumulative.Length; j++) if (u < cumulative[j]) return j;
        return cumulative.Length - 1;
    }

    /// <summary>A fixed held-out set of <see cref="MarkovLmSettings.EvaluationTokens"/> stationary draws: inputs (M, k), targets (M).</summary>
    internal static (Tensor Inputs, Tensor Targets) EvaluationSet(ZipfMarkovChain chain, MarkovLmSettings s, int seed, int stream, Device device)
    {
        int m = Math.Max(1, s.EvaluationTokens);
        var rng = Training.Seeds.Random(seed, stream);
        var example = new long[s.Context + 1];
        var inputs = new long[m * s.Context];
        var targets = new long[m];
        for (int i = 0; i < m; i++)
        {
            chain.Generate(example, rng);
            Array.Copy(example, 0, inputs, i * s.Context, s.Context);
            targets[i] = example[s.Context];
        }
        return (torch.tensor(inputs, [m, s.Context], dtype: ScalarType.Int64, device: device), torch.tensor(targets, dtype: ScalarType.Int64, device: device));
    }

    internal static double Evaluate(MarkovMlpLm model, (Tensor Inputs, Tensor Targets) set)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        return HeldOutLoss(model.forward(set.Inputs), set.Targets);
    }

    /// <summary>
    /// The mean cross-entropy (nats) of <paramref name="logits"/> (M, V) at <paramref name="targets"/> (M): each token's loss
    /// in the logits' own precision, the mean over tokens in float64, so it does not depend on chunking or on M. (The
    /// log-softmax of float32 logits in float64 is about 15× slower on the CPU and changes a token's loss by about 1e-7 of
    /// its value.)
    /// </summary>
    internal static double HeldOutLoss(Tensor logits, Tensor targets)
    {
        using var scope = torch.NewDisposeScope();
        var perToken = nn.functional.cross_entropy(logits, targets, reduction: nn.Reduction.None);
        return perToken.to_type(ScalarType.Float64).mean().cpu().item<double>();
    }
}
