using LossLab.Evaluation;
using LossLab.Losses.Pairs;
using LossLab.Miners;
using LossLab.Optim;
using LossLab.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using LabeledTensors = LossLab.Data.LabeledTensors;

namespace LossLab.Experiments.MetricLearning;

/// <summary>
/// A retrieval / verification bench for metric learning, in the manner of pytorch-metric-learning's trainers and testers
/// (Musgrave et al., "A Metric Learning Reality Check", arXiv:2003.08505: one training loop and one tester for every
/// loss, the same batches for every loss). A notebook declares the methods (<see cref="EmbeddingMethod"/>: embedding
/// loss with an optional miner, margin head, or two-view loss, and a learning rate), the data (a training split of seen
/// classes; a test split of unseen classes, or the verification identities; a reference set for k-NN), an encoder
/// factory and the knobs: P×K steps (<see cref="PkBatchSampler"/>) or epochs of shuffled mini-batches, the optimizer,
/// the augmentation of two-view losses, and which scores to take. <see cref="Run"/> trains every method with every seed
/// through <see cref="Trainer"/> on a <see cref="MethodComparison{TRun}"/>: each run starts from <c>Seeds.Fix(seed)</c>
/// (the encoder is built first, so every arm of a seed has the same initial weights) and draws its batches from the
/// seed alone (the P×K sampler's seed, or the trainer's shuffling seed), so every arm of a seed sees the same batches.
/// <see cref="Workers"/> seeds train at once, with the numbers of a run of one seed after another.
/// After training it embeds the test set and scores it with <c>LossLab.Evaluation</c>: Recall@K and MAP@R (test against
/// itself, each query's own image left out), k-NN accuracy against the reference set, L_unif, L_align, tolerance and
/// spread, TAR@FAR and ROC AUC over all test pairs, plus what <see cref="Measure"/> adds. The model, the loss and every
/// batch live on <see cref="Device"/>; scores are computed from embeddings brought back to the CPU.
/// </summary>
public sealed record EmbeddingBench
{
    /// <summary>The methods, in order (at least one; names distinct).</summary>
    public required IReadOnlyList<EmbeddingMethod> Methods { get; init; }

    /// <summary>The training split (seen classes; for a two-view loss the targets may be sample indices).</summary>
    public required LabeledTensors Train { get; init; }

    /// <summary>The test split: unseen classes or identities, embedded and scored after training.</summary>
    public required LabeledTensors Test { get; init; }

    /// <summary>The reference set of k-NN scoring (null: <see cref="Train"/>).</summary>
    public LabeledTensors? Reference { get; init; }

    /// <summary>Builds the encoder for a method (given its name) after the comparison has fixed the seed (one build at a
    /// time, in the run's start; see <see cref="Workers"/>). An encoder with a dropout layer draws from torch's global
    /// generator in training: its run's forward passes then take turns with other seeds' (the numbers stay those of a run
    /// alone); any other draw in its forward pass is refused.</summary>
    public required Func<string, nn.Module<Tensor, Tensor>> Encoder { get; init; }

    /// <summary>P×K mode: optimizer steps, each on one P×K batch (≥ 1 when <see cref="ClassesPerBatch"/> is set).</summary>
    public int Steps { get; init; }

    /// <summary>P, classes per batch; &gt; 0 selects P×K mode (with <see cref="SamplesPerClass"/> and <see cref="Steps"/>).</summary>
    public int ClassesPerBatch { get; init; }

    /// <summary>K, samples per class in a P×K batch; must not exceed the smallest class of the training split.</summary>
    public int SamplesPerClass { get; init; }

    /// <summary>Epoch mode: passes over the training split (≥ 1 when no P×K sampler is declared).</summary>
    public int Epochs { get; init; }

    /// <summary>Epoch mode: the mini-batch size (a method may override it).</summary>
    public int BatchSize { get; init; }

    /// <summary>Epoch mode: drop each epoch's last, smaller batch (default true).</summary>
    public bool DropLast { get; init; } = true;

    /// <summary>The optimizer from the trained parameters and the method's learning rate (null: Adam).</summary>
    public Func<IEnumerable<Parameter>, double, optim.Optimizer>? Optimizer { get; init; }

    /// <summary>Draws one random view of a batch of inputs, for two-view methods and for L_align. It may draw from torch's
    /// global generator: in training each run draws from its own continuation of the generator it left after building the
    /// encoder and the loss, as when it runs alone.</summary>
    public Func<Tensor, Tensor>? Augment { get; init; }

    /// <summary>The K of Recall@K on the test set (null: no retrieval scores).</summary>
    public IReadOnlyList<int>? RecallAtK { get; init; }

    /// <summary>k of the k-NN accuracy of the test set against the reference set (0: not measured).</summary>
    public int KnnK { get; init; }

    /// <summary>Measure L_unif, tolerance and spread of the test embeddings (and L_align with <see cref="Augment"/>).</summary>
    public bool Geometry { get; init; }

    /// <summary>The false-accept rate of TAR@FAR over all test pairs (NaN: no verification scores).</summary>
    public double Far { get; init; } = double.NaN;

    /// <summary>The two views of L_align are drawn right after <c>Seeds.Fix(seed + ViewSeedOffset)</c> (through
    /// <see cref="Seeds.Isolated{T}"/>), so they do not depend on how much randomness training used.</summary>
    public int ViewSeedOffset { get; init; } = 1000;

    /// <summary>Extra measurements of each finished run (model in eval mode, no gradients, inside a dispose scope). It runs
    /// on the thread that trained the run, beside other seeds' runs (<see cref="Workers"/>): it must not draw from torch's
    /// global generator (take randomness from <c>Seeds.Random(run.Seed, …)</c> or <c>Seeds.Generator</c>), and state it
    /// shares across runs must be locked.</summary>
    public Action<EmbeddingRunContext>? Measure { get; init; }

    /// <summary>The device (null: <see cref="Devices.Choose"/>).</summary>
    public Device? Device { get; init; }

    /// <summary>Called after every run with the number done, the total, the method, the seed and the seconds (on the
    /// calling thread, in the order runs finish).</summary>
    public Action<(int Done, int Total, string Method, int Seed, double Seconds)>? OnRun { get; init; }

    /// <summary>How many seeds train at once (null: <see cref="Threads.Workers"/>: the cores when a notebook runs alone, its
    /// share under <c>losslab run --jobs</c>). The numbers do not depend on it: each run builds its encoder, its loss and its
    /// training set (<see cref="EmbeddingMethod.TrainingSet"/>) right after <c>Seeds.Fix(seed)</c>, one run at a time;
    /// its augmentations in training draw from its own continuation of the global generator, its batches from generators
    /// of its seed, and the views of L_align from <see cref="Seeds.Isolated{T}"/>. Methods whose miner keeps a generator
    /// across runs (<see cref="RandomNegativeMiner"/>, <see cref="HardRandomNegativeMiner"/>) run their seeds one after
    /// another, in order.</summary>
    public int? Workers { get; init; }

    bool PkMode => ClassesPerBatch > 0 || SamplesPerClass > 0;

    /// <summary>Trains every method with every seed (seeds outer) and scores each on the test set.</summary>
    /// <exception cref="ArgumentException">A declaration that cannot run (see <see cref="Validate"/>).</exception>
    public MethodComparison<EmbeddingRun> Run(IReadOnlyList<int> seeds)
    {
        Validate();
        var comparison = new MethodComparison<EmbeddingRun>(Methods.Select(m => m.Name).ToArray(), seeds);
        var device = Device ?? Devices.Choose();
        using var data = new DeviceData(this, device);
        var byName = Methods.ToDictionary(m => m.Name);
        // A miner with a generator of its own continues its draws from run to run: its runs keep their sequential order.
        int? workers = Methods.Any(m => m.Miner is RandomNegativeMiner or HardRandomNegativeMiner) ? 1 : Workers;
        return comparison.Run((name, seed) => Start(byName[name], seed, device, data),
            (name, seed, started) => TrainAndScore(byName[name], seed, device, data, started), OnRun, workers);
    }

    /// <summary>The untrained encoder of each seed, scored like a trained one: the reference point "same architecture,
    /// no training" (<see cref="Workers"/> seeds at once).</summary>
    public MethodComparison<EmbeddingRun> Untrained(IReadOnlyList<int> seeds, string name = "untrained encoder")
    {
        ValidateData();
        var device = Device ?? Devices.Choose();
        using var data = new DeviceData(this, device);
        return new MethodComparison<EmbeddingRun>([name], seeds).Run((n, _) => BuildEncoder(n, device), (n, seed, built) =>
        {
            using var encoder = built;
            return Score(n, seed, double.NaN, encoder, null, device, data.Train, data, TrainingStatus.Completed, []);
        }, workers: Workers);
    }

    /// <summary>The inputs themselves as the embedding (after <paramref name="transform"/>, e.g. centring), scored like a
    /// trained encoder: the reference point "no model". <see cref="Measure"/> sees a null encoder and loss.</summary>
    public EmbeddingRun ScoreInputs(string name = "inputs", Func<Tensor, Tensor>? transform = null)
    {
        ValidateData();
        var device = Device ?? Devices.Choose();
        using var data = new DeviceData(this, device);
        return Score(name, 0, double.NaN, null, null, device, data.Train, data, TrainingStatus.Completed, [], transform);
    }

    /// <summary>Checks the declaration; every message names the knob and what it must be.</summary>
    /// <exception cref="ArgumentException">No method or a repeated name; neither or both of P×K steps and epochs; P×K
    /// larger than the training split allows (P above its classes, K above its smallest class); steps, epochs or batch size
    /// below 1; a batch larger than the training split with <see cref="DropLast"/>; a two-view method without
    /// <see cref="Augment"/>; k of k-NN above the reference count; a FAR outside (0, 1).</exception>
    public void Validate()
    {
        if (Methods is null || Methods.Count == 0)
            throw new ArgumentException("The bench needs at least one method: declare Methods.", nameof(Methods));
        if (Methods.Any(m => m is null)) throw new ArgumentException("Methods must not contain null.", nameof(Methods));
        var repeated = Methods.GroupBy(m => m.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0) throw new ArgumentException($"method names must be distinct; repeated: {string.Join(", ", repeated)}.", nameof(Methods));
        ValidateData();
        if (PkMode)
        {
            if (Epochs != 0)
                throw new ArgumentException($"Declare either P×K steps (ClassesPerBatch, SamplesPerClass, Steps) or epochs (Epochs, BatchSize), not both; got Epochs = {Epochs} with P = {ClassesPerBatch}.", nameof(Epochs));
            if (Steps < 1) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps must be at least 1 (P×K mode trains for Steps optimizer steps).");
            var counts = Train.Labels.cpu().data<long>().ToArray().GroupBy(y => y).Select(g => (Label: g.Key, Count: g.Count())).ToArray();
            if (ClassesPerBatch < 1 || ClassesPerBatch > counts.Length)
                throw new ArgumentOutOfRangeException(nameof(ClassesPerBatch), ClassesPerBatch,
                    $"P (ClassesPerBatch) must lie in [1, {counts.Length}]: the training split has {counts.Length} classes.");
            var smallest = counts.MinBy(c => c.Count);
            if (SamplesPerClass < 1 || SamplesPerClass > smallest.Count)
                throw new ArgumentOutOfRangeException(nameof(SamplesPerClass), SamplesPerClass,
                    $"K (SamplesPerClass) must lie in [1, {smallest.Count}]: class {smallest.Label} of the training split has only {smallest.Count} samples, and a P×K batch draws K distinct samples per class.");
            var sized = Methods.Where(m => m.BatchSize is not null).Select(m => m.Name).ToArray();
            if (sized.Length > 0)
                throw new ArgumentException($"A per-method BatchSize applies to epoch mode only; set in P×K mode for: {string.Join(", ", sized)}.", nameof(Methods));
        }
        else
        {
            if (Steps != 0)
                throw new ArgumentException($"Steps = {Steps} is for P×K mode: declare ClassesPerBatch and SamplesPerClass, or use Epochs and BatchSize.", nameof(Steps));
            if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be at least 1 (or declare a P×K sampler with ClassesPerBatch, SamplesPerClass and Steps).");
            foreach (var m in Methods)
            {
                int batch = m.BatchSize ?? BatchSize;
                if (batch < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), batch, $"the batch size of '{m.Name}' must be at least 1.");
                if (DropLast && m.TrainingSet is null && batch > Train.Count)
                    throw new ArgumentOutOfRangeException(nameof(BatchSize), batch,
                        $"the batch size of '{m.Name}' ({batch}) exceeds the {Train.Count} training samples, and DropLast would leave no batch.");
            }
        }
        var needViews = Methods.Where(m => m.NeedsViews).Select(m => m.Name).ToArray();
        if (needViews.Length > 0 && Augment is null)
            throw new ArgumentException($"Two-view methods need the bench's Augment: {string.Join(", ", needViews)}.", nameof(Augment));
    }

    void ValidateData()
    {
        if (Train is null) throw new ArgumentException("Declare the training split (Train).", nameof(Train));
        if (Test is null) throw new ArgumentException("Declare the test split (Test).", nameof(Test));
        if (Encoder is null) throw new ArgumentException("Declare the encoder factory (Encoder).", nameof(Encoder));
        if (Train.Count == 0) throw new ArgumentException("The training split is empty.", nameof(Train));
        if (Test.Count < 2) throw new ArgumentException($"The test split must hold at least two samples; it holds {Test.Count}.", nameof(Test));
        if (RecallAtK is not null && (RecallAtK.Count == 0 || RecallAtK.Any(k => k < 1)))
            throw new ArgumentOutOfRangeException(nameof(RecallAtK), $"every K of RecallAtK must be at least 1; got [{string.Join(", ", RecallAtK)}].");
        long references = (Reference ?? Train).Count;
        if (KnnK < 0 || KnnK > references)
            throw new ArgumentOutOfRangeException(nameof(KnnK), KnnK, $"KnnK must lie in [0, {references}] (0: no k-NN score; the reference set holds {references}).");
        if (!double.IsNaN(Far) && !(Far > 0 && Far < 1))
            throw new ArgumentOutOfRangeException(nameof(Far), Far, "Far must lie in (0, 1), or be NaN for no verification scores.");
    }

    nn.Module<Tensor, Tensor> BuildEncoder(string method, Device device)
    {
        var encoder = Encoder(method) ?? throw new InvalidOperationException($"The encoder factory returned null for '{method}'.");
        if (device.type != DeviceType.CPU) encoder.to(device);
        return encoder;
    }

    /// <summary>What a run's start builds with the seed fixed: the encoder, the loss, the optimizer, the training set, and
    /// the global generator as the start left it (the run's augmentations in training continue from there).</summary>
    sealed record Started(nn.Module<Tensor, Tensor> Encoder, object Loss, optim.Optimizer Optimizer, LabeledTensors Train,
        GlobalGeneratorCopy Generator, bool DrawsInForward);

    // Dropout layers draw from torch's global generator in every training forward pass.
    static bool HasDropout(nn.Module encoder) => encoder.modules().Prepend(encoder).Any(m => m.GetType().Name.Contains("Dropout", StringComparison.Ordinal));

    // Everything of a run that draws from the global generator before training, in the order a run alone draws it.
    Started Start(EmbeddingMethod method, int seed, Device device, DeviceData data)
    {
        var encoder = BuildEncoder(method.Name, device);
        object? loss = null;
        optim.Optimizer? optimizer = null;
        try
        {
            loss = method.Build(data.Train.NumClasses);
            var lossModule = loss as nn.Module;
            if (lossModule is not null && device.type != DeviceType.CPU) lossModule.to(device);
            var parameters = encoder.parameters().Concat(lossModule?.parameters() ?? []).ToList();
            optimizer = (Optimizer ?? ((p, lr) => Optimizers.Adam(p, lr)))(parameters, method.LearningRate);
            var train = method.TrainingSet?.Invoke(data.Train, seed) ?? data.Train;
            return new Started(encoder, loss, optimizer, train, GlobalGeneratorCopy.OfCurrent(), HasDropout(encoder));
        }
        catch
        {
            (optimizer as IDisposable)?.Dispose();
            (loss as IDisposable)?.Dispose();
            encoder.Dispose();
            throw;
        }
    }

    EmbeddingRun TrainAndScore(EmbeddingMethod method, int seed, Device device, DeviceData data, Started started)
    {
        using var encoder = started.Encoder;
        var (loss, optimizer, train) = (started.Loss, started.Optimizer, started.Train);
        try
        {
            // An encoder with dropout draws in its forward pass: the whole objective then runs on the run's continuation
            // of the generator (one such objective at a time in the process); otherwise only the augmentations do.
            Func<Tensor, Tensor>? augment = Augment is null ? null : started.DrawsInForward ? Augment : x => started.Generator.Draw(() => Augment(x));
            Func<Batch, Tensor> objective = b => method.Objective(loss, x => encoder.call(x), augment, b);
            var trainer = new Trainer(encoder, optimizer, started.DrawsInForward ? b => started.Generator.Draw(() => objective(b)) : objective)
                { Seed = seed, DropLast = DropLast };
            TrainingResult result;
            if (PkMode)
            {
                var sampler = new PkBatchSampler(train.Labels.cpu().data<long>().ToArray(), ClassesPerBatch, SamplesPerClass, seed);
                result = trainer.FitSteps(_ =>
                {
                    var index = torch.tensor(sampler.Next(), device: train.Features.device);
                    return (train.Features.index_select(0, index), train.Labels.index_select(0, index));
                }, Steps);
            }
            else
                result = trainer.Fit(train, Epochs, method.BatchSize ?? BatchSize);
            return Score(method.Name, seed, method.LearningRate, encoder, loss, device, train, data, result.Status, trainer.History.Losses.ToArray());
        }
        finally
        {
            if (!ReferenceEquals(train, data.Train)) train.Dispose();
            (optimizer as IDisposable)?.Dispose();
            (loss as IDisposable)?.Dispose();
        }
    }

    EmbeddingRun Score(string method, int seed, double learningRate, nn.Module<Tensor, Tensor>? encoder, object? loss, Device device,
        LabeledTensors train, DeviceData data, TrainingStatus status, IReadOnlyList<double> losses, Func<Tensor, Tensor>? transform = null)
    {
        encoder?.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor Embed(Tensor x) => (encoder is null ? (transform?.Invoke(x) ?? x) : encoder.call(x)).cpu();
        var scores = new Dictionary<string, double>();
        var vectors = new Dictionary<string, double[]>();
        var z = Embed(data.Test.Features);
        var labels = data.Test.Labels.cpu();
        var retrieval = RecallAtK is null ? null : RetrievalMetrics.Evaluate(z, labels, recallAtK: RecallAtK);
        if (KnnK > 0)
            scores[EmbeddingRun.KnnScore] = KnnAccuracy.Evaluate(z, labels, Embed(data.Reference.Features), data.Reference.Labels.cpu(), KnnK);
        if (Geometry)
        {
            scores[EmbeddingRun.UniformityScore] = Uniformity.Loss(z);
            scores[EmbeddingRun.ToleranceScore] = Tolerance.Measure(z, labels);
            var unit = nn.functional.normalize(z, p: 2, dim: 1);
            scores[EmbeddingRun.SpreadScore] = torch.cdist(unit, unit).mean().to_type(ScalarType.Float64).item<double>();
            if (Augment is not null && encoder is not null)
            {
                var (a, b) = Seeds.Isolated(seed + ViewSeedOffset, () => (Augment(data.Test.Features), Augment(data.Test.Features)));
                scores[EmbeddingRun.AlignmentScore] = Alignment.Loss(Embed(a), Embed(b));
            }
        }
        var context = new EmbeddingRunContext(method, seed, device, encoder, loss, train, data.Test, data.Reference, z, status, scores, vectors);
        if (!double.IsNaN(Far))
        {
            var pairs = context.Pairs;
            scores[EmbeddingRun.TarScore] = pairs.TarAtFar(Far);
            scores[EmbeddingRun.AurocScore] = VerificationMetrics.RocAuc(pairs.Scores, pairs.Genuine);
        }
        Measure?.Invoke(context);
        return new EmbeddingRun(method, seed, learningRate, status, losses, retrieval, scores, vectors);
    }

    /// <summary>The bench's data on the device, copied only when it is elsewhere (the copies are disposed with this).</summary>
    sealed class DeviceData : IDisposable
    {
        readonly List<LabeledTensors> owned = [];

        public DeviceData(EmbeddingBench bench, Device device)
        {
            Train = On(bench.Train, device);
            Test = On(bench.Test, device);
            Reference = bench.Reference is null ? Train : On(bench.Reference, device);
        }

        public LabeledTensors Train { get; }
        public LabeledTensors Test { get; }
        public LabeledTensors Reference { get; }

        LabeledTensors On(LabeledTensors data, Device device)
        {
            if (Devices.Holds(device, data.Features) && Devices.Holds(device, data.Labels)) return data;
            var copy = data.To(device);
            owned.Add(copy);
            return copy;
        }

        public void Dispose()
        {
            foreach (var d in owned) d.Dispose();
        }
    }
}
