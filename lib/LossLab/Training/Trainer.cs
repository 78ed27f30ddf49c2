using System.Diagnostics;
using LossLab.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Training;

/// <summary>
/// The training loop of LossLab, generic over the objective: each optimizer step opens one dispose scope, takes a
/// mini-batch, sets the learning rate from <see cref="Schedule"/>, computes the objective's loss, stops on a non-finite
/// loss (before updating), back-propagates, clips through <see cref="Clipper"/> and steps the optimizer. After each epoch
/// it runs the evaluations (model in eval mode, no gradients). It records a <see cref="TrainingHistory"/>, reports
/// <see cref="TrainingProgress"/>, and with a <see cref="CheckpointPath"/> writes model, optimizer, step counters, the
/// shuffling generator and torch's global generator atomically, so a killed run resumes where its last checkpoint was
/// and ends with the same parameters, bit for bit on the CPU, as an uninterrupted run. An objective or clipper with state
/// of its own joins the checkpoint by implementing <see cref="ICheckpointable"/>.
/// <para>Device: every batch (<see cref="Fit"/>, <see cref="FitSteps"/>, <see cref="TrainStep"/>) is moved to the device of
/// the model's parameters (<see cref="Device"/>) before the objective sees it, so a data set may stay on the CPU while the
/// model trains on a GPU (move the model, e.g. <c>model.to(Devices.Choose())</c>, before creating the optimizer). The
/// shuffling order is drawn on the CPU, so the same seed gives the same batches on every device.</para>
/// </summary>
public sealed class Trainer
{
    const int CheckpointFormat = 1;
    const string CheckpointMagic = "LossLab.Checkpoint";

    readonly nn.Module model;
    readonly optim.Optimizer optimizer;
    readonly ITrainingObjective objective;
    readonly Parameter[] parameters;
    readonly List<Func<int, IReadOnlyDictionary<string, double>>> evaluations = [];
    readonly List<Action<Batch, double>> afterStep = [];
    readonly List<Action<Batch>> afterBackward = [];
    Generator? shuffler;
    Tensor? epochStartState;   // the shuffling generator's state at the start of the current epoch
    double lastFiniteLoss = double.NaN;
    long stepInEpoch;

    /// <summary>Trains <paramref name="model"/> with <paramref name="optimizer"/> on <paramref name="objective"/>.</summary>
    public Trainer(nn.Module model, optim.Optimizer optimizer, ITrainingObjective objective)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(objective);
        this.model = model;
        this.optimizer = optimizer;
        this.objective = objective;
        parameters = model.parameters().Where(p => p.requires_grad).ToArray();
        TorchRuntime.EnsureConfigured();
    }

    /// <summary>Trains <paramref name="model"/> with <paramref name="optimizer"/> on the loss <paramref name="objective"/> computes.</summary>
    public Trainer(nn.Module model, optim.Optimizer optimizer, Func<Batch, Tensor> objective)
        : this(model, optimizer, Objectives.From(objective)) { }

    /// <summary>The learning rate as a pure function of the 0-based step, applied to every parameter group before each
    /// step (null: leave the optimizer's own rates alone).</summary>
    public Func<long, double>? Schedule { get; init; }

    /// <summary>The gradient clipper applied between backward and the optimizer step (null: none).</summary>
    public IGradientClipper? Clipper { get; init; }

    /// <summary>Where progress goes (e.g. <see cref="SparseProgressPrinter"/>, or the CLI's bars).</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Report progress every this many steps (and at every epoch's end).</summary>
    public int ProgressEvery { get; init; } = 10;

    /// <summary>The seed of the generator that shuffles the training set (stream 0 of <see cref="Seeds.Generator"/>).</summary>
    public long Seed { get; init; }

    /// <summary>Shuffle the training set every epoch (default true).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Drop the last, smaller batch of each epoch.</summary>
    public bool DropLast { get; init; }

    /// <summary>The checkpoint file. When set, <see cref="Fit"/> resumes from it if it exists and writes it at each epoch's
    /// end and every <see cref="CheckpointEvery"/> steps.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Also checkpoint every this many steps (0: only at epoch ends).</summary>
    public long CheckpointEvery { get; init; }

    /// <summary>The device batches are moved to: that of the model's first parameter (or buffer); the CPU for a model
    /// with neither. Read at every step, so a model moved after the trainer was made is followed.</summary>
    public Device Device => ModelDevice(model);

    /// <summary>The device of <paramref name="model"/>'s first parameter, else of its first buffer, else the CPU.</summary>
    public static Device ModelDevice(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var p in model.parameters()) return p.device;
        foreach (var b in model.buffers()) return b.device;
        return CPU;
    }

    /// <summary><paramref name="tensor"/> itself when it is on <paramref name="device"/>, else a copy there (which belongs
    /// to the dispose scope open at the call).</summary>
    public static Tensor OnDevice(Tensor tensor, Device device)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(device);
        return Devices.Holds(device, tensor) ? tensor : tensor.to(device);
    }

    Batch OnModelDevice(Tensor inputs, Tensor targets, long step, int epoch)
    {
        var device = Device;
        return new Batch(OnDevice(inputs, device), OnDevice(targets, device), step, epoch);
    }

    /// <summary>Optimizer steps taken.</summary>
    public long Step { get; private set; }

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; private set; }

    /// <summary>The record of the run so far.</summary>
    public TrainingHistory History { get; } = new();

    /// <summary>Adds an evaluation run after every epoch with the model in eval mode and gradients off; it receives the
    /// 0-based epoch and returns named metrics, which go to the history's epoch frame and to progress.</summary>
    public Trainer AddEvaluation(Func<int, IReadOnlyDictionary<string, double>> evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        evaluations.Add(evaluate);
        return this;
    }

    /// <summary>Adds one named metric computed after every epoch (see <see cref="AddEvaluation"/>).</summary>
    public Trainer AddMetric(string name, Func<double> metric)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(metric);
        evaluations.Add(_ => new Dictionary<string, double> { [name] = metric() });
        return this;
    }

    /// <summary>Adds an action run after the gradients of every step are computed and before they are clipped and applied,
    /// under no_grad: a gradient mask (SalUn), a projection of the gradient, or a measurement of it.</summary>
    public Trainer AddAfterBackward(Action<Batch> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        afterBackward.Add(action);
        return this;
    }

    /// <summary>Adds an action run after every optimizer step, inside the step's dispose scope and under no_grad, with
    /// the batch and its (finite) loss: a projection (max-norm), decoupled decay, unit re-initialisation (continual
    /// backprop), shrink-and-perturb, or a measurement of the model after the update.</summary>
    public Trainer AddAfterStep(Action<Batch, double> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        afterStep.Add(action);
        return this;
    }

    /// <summary>
    /// Takes optimizer steps until <paramref name="steps"/> have been taken in all, each on the batch that
    /// <paramref name="batches"/> returns for the 0-based step (a P×K sampler, a token stream, the whole training set for
    /// full-batch descent). The batch's tensors are made inside the step's dispose scope. Schedule, clipper, after-step
    /// actions, history and progress work as in <see cref="Fit"/>; evaluations run every <paramref name="evaluateEvery"/>
    /// steps (0: only after the last) as "epochs" numbered by the step count at which they ran.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">steps or evaluateEvery is negative.</exception>
    public TrainingResult FitSteps(Func<long, (Tensor Inputs, Tensor Targets)> batches, long steps, long evaluateEvery = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be non-negative.");
        if (evaluateEvery < 0) throw new ArgumentOutOfRangeException(nameof(evaluateEvery), evaluateEvery, "evaluateEvery must be non-negative.");
        if (ProgressEvery < 1) throw new ArgumentOutOfRangeException(nameof(ProgressEvery), ProgressEvery, "ProgressEvery must be at least 1.");
        var clock = Stopwatch.StartNew();
        long firstStep = Step;
        model.train();
        while (Step < steps)
        {
            if (cancellationToken.IsCancellationRequested) return Result(TrainingStatus.Cancelled, clock);
            (double Loss, double GradNorm, double Lr) step;
            using (NewDisposeScope())
            {
                var (x, y) = batches(Step);
                step = TrainStepCore(OnModelDevice(x, y, Step, Epoch));
            }
            if (Record(step, Epoch, clock) is { } stopped) return stopped;
            var (loss, lr) = (step.Loss, step.Lr);
            bool evaluate = evaluateEvery > 0 ? Step % evaluateEvery == 0 || Step == steps : Step == steps;
            IReadOnlyDictionary<string, double>? metrics = null;
            if (evaluate && evaluations.Count > 0)
            {
                metrics = Evaluate((int)Math.Min(Step, int.MaxValue));
                History.AddEpoch(new TrainingHistory.EpochRecord((int)Math.Min(Step, int.MaxValue), Step, loss, metrics));
            }
            if (Progress is not null && (Step % ProgressEvery == 0 || Step == steps || metrics is not null))
                Progress.Report(Report(loss, lr, steps, 0, 1, clock, firstStep, metrics));
        }
        return Result(TrainingStatus.Completed, clock);
    }

    /// <summary>
    /// Trains on <paramref name="data"/>, in mini-batches of <paramref name="batchSize"/>, until
    /// <paramref name="untilEpoch"/> epochs are complete in all. The count is cumulative, not "this many more": it includes
    /// the epochs of earlier calls and of a resumed checkpoint (<see cref="Epoch"/>), so <c>Fit(data, 3, b)</c> after
    /// <c>Fit(data, 2, b)</c> trains one more epoch, and a call with <paramref name="untilEpoch"/> ≤ <see cref="Epoch"/>
    /// trains none. To train n more epochs, pass <c>trainer.Epoch + n</c>. Batches are moved to <see cref="Device"/>.
    /// </summary>
    /// <param name="data">The training set (on any device).</param>
    /// <param name="untilEpoch">The number of completed epochs to reach, counted from the start of training.</param>
    /// <param name="batchSize">Samples per mini-batch.</param>
    /// <param name="cancellationToken">Stops the run between steps (status <see cref="TrainingStatus.Cancelled"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException">untilEpoch is negative or batchSize is not positive, or the data set is
    /// empty (or smaller than one batch with <see cref="DropLast"/>).</exception>
    public TrainingResult Fit(LabeledTensors data, int untilEpoch, int batchSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (untilEpoch < 0) throw new ArgumentOutOfRangeException(nameof(untilEpoch), untilEpoch, "untilEpoch (the cumulative number of epochs to reach) must be non-negative.");
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        if (ProgressEvery < 1) throw new ArgumentOutOfRangeException(nameof(ProgressEvery), ProgressEvery, "ProgressEvery must be at least 1.");
        if (CheckpointEvery < 0) throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, "CheckpointEvery must be non-negative.");
        long batchesPerEpoch = DropLast ? data.Count / batchSize : (data.Count + batchSize - 1) / batchSize;
        if (batchesPerEpoch == 0)
            throw new ArgumentOutOfRangeException(nameof(data),
                $"data must hold at least one batch: {data.Count} samples, batchSize {batchSize}, dropLast {DropLast}.");

        if (Step == 0 && CheckpointPath is not null && File.Exists(CheckpointPath)) LoadCheckpoint(CheckpointPath);
        EnsureShuffler();
        var clock = Stopwatch.StartNew();
        long firstStep = Step, totalSteps = untilEpoch * batchesPerEpoch;
        model.train();

        while (Epoch < untilEpoch)
        {
            int epoch = Epoch;
            if (Shuffle) shuffler!.set_state(epochStartState!);
            using (var batches = data.Batches(batchSize, Shuffle, Shuffle ? shuffler : null, DropLast).GetEnumerator())
            {
                for (long skip = 0; skip < stepInEpoch; skip++)
                    using (NewDisposeScope()) batches.MoveNext();

                while (true)
                {
                    if (cancellationToken.IsCancellationRequested) return Result(TrainingStatus.Cancelled, clock);
                    (double Loss, double GradNorm, double Lr) step;
                    using (NewDisposeScope())
                    {
                        if (!batches.MoveNext()) break;
                        var (x, y) = batches.Current;
                        step = TrainStepCore(OnModelDevice(x, y, Step, epoch));
                    }
                    if (Record(step, epoch, clock) is { } stopped) return stopped;
                    var (loss, lr) = (step.Loss, step.Lr);
                    stepInEpoch++;
                    if (Progress is not null && Step % ProgressEvery == 0 && stepInEpoch < batchesPerEpoch)
                        Progress.Report(Report(loss, lr, totalSteps, epoch, untilEpoch, clock, firstStep, null));
                    if (CheckpointPath is not null && CheckpointEvery > 0 && Step % CheckpointEvery == 0 && stepInEpoch < batchesPerEpoch)
                        SaveCheckpoint(CheckpointPath);
                }
            }

            var metrics = Evaluate(epoch);
            History.AddEpoch(new TrainingHistory.EpochRecord(epoch, Step, History.MeanLoss(epoch), metrics));
            Epoch = epoch + 1;
            stepInEpoch = 0;
            if (Shuffle) ReplaceEpochStartState(shuffler!.get_state());
            Progress?.Report(Report(lastFiniteLoss, History.LearningRates.Count > 0 ? History.LearningRates[^1] : double.NaN,
                totalSteps, epoch, untilEpoch, clock, firstStep, metrics.Count > 0 ? metrics : null));
            if (CheckpointPath is not null) SaveCheckpoint(CheckpointPath);
        }
        return Result(TrainingStatus.Completed, clock);
    }

    /// <summary>
    /// One optimizer step on <paramref name="inputs"/> and <paramref name="targets"/> inside its own dispose scope, for
    /// loops that bring their own batches; returns the loss. The step counter advances; the history records the step.
    /// </summary>
    /// <exception cref="NonFiniteLossException">The loss is NaN or infinite (the parameters are left unchanged).</exception>
    public double TrainStep(Tensor inputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        double loss, gradNorm, lr;
        using (NewDisposeScope())
            (loss, gradNorm, lr) = TrainStepCore(OnModelDevice(inputs, targets, Step, Epoch));
        if (!double.IsFinite(loss)) throw new NonFiniteLossException(Step, loss, lastFiniteLoss);
        lastFiniteLoss = loss;
        History.AddStep(Epoch, loss, lr, gradNorm);
        Step++;
        return loss;
    }

    /// <summary>Records a finished step of <paramref name="epoch"/> and advances the step counter; when its loss is not
    /// finite, records nothing and returns the run's non-finite result instead.</summary>
    TrainingResult? Record((double Loss, double GradNorm, double Lr) step, int epoch, Stopwatch clock)
    {
        if (!double.IsFinite(step.Loss))
            return Result(TrainingStatus.NonFinite, clock) with { NonFiniteStep = Step, NonFiniteLoss = step.Loss };
        lastFiniteLoss = step.Loss;
        History.AddStep(epoch, step.Loss, step.Lr, step.GradNorm);
        Step++;
        return null;
    }

    (double Loss, double GradNorm, double Lr) TrainStepCore(Batch batch)
    {
        double lr = double.NaN;
        if (Schedule is not null)
        {
            lr = Schedule(batch.Step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
        }
        else
        {
            foreach (var group in optimizer.ParamGroups) { lr = group.LearningRate; break; }
        }
        optimizer.zero_grad();
        double loss;
        if (objective is IGradientObjective writesGradients)
        {
            loss = writesGradients.Backward(batch);
            if (!double.IsFinite(loss)) return (loss, double.NaN, lr);
        }
        else
        {
            var lossTensor = objective.Loss(batch);
            loss = lossTensor.ToDouble();
            if (!double.IsFinite(loss)) return (loss, double.NaN, lr);
            lossTensor.backward();
        }
        if (afterBackward.Count > 0)
            using (no_grad())
                foreach (var action in afterBackward) action(batch);
        double gradNorm = Clipper?.Clip(parameters, batch.Step) ?? double.NaN;
        optimizer.step();
        if (afterStep.Count > 0)
            using (no_grad())
                foreach (var action in afterStep) action(batch, loss);
        return (loss, gradNorm, lr);
    }

    IReadOnlyDictionary<string, double> Evaluate(int epoch)
    {
        if (evaluations.Count == 0) return new Dictionary<string, double>();
        var metrics = new Dictionary<string, double>();
        model.eval();
        try
        {
            using var noGrad = no_grad();
            foreach (var evaluate in evaluations)
                using (NewDisposeScope())
                    foreach (var (k, v) in evaluate(epoch)) metrics[k] = v;
        }
        finally
        {
            model.train();
        }
        return metrics;
    }

    TrainingProgress Report(double loss, double lr, long totalSteps, int epoch, int epochs, Stopwatch clock, long firstStep,
        IReadOnlyDictionary<string, double>? metrics)
    {
        var elapsed = clock.Elapsed;
        double rate = elapsed.TotalSeconds > 0 ? (Step - firstStep) / elapsed.TotalSeconds : 0;
        return new TrainingProgress(Step, totalSteps, epoch, epochs, loss, lr, elapsed, rate, metrics);
    }

    TrainingResult Result(TrainingStatus status, Stopwatch clock) =>
        new(status, Step, Epoch, lastFiniteLoss, null, null, clock.Elapsed);

    void EnsureShuffler()
    {
        if (shuffler is not null) return;
        shuffler = Seeds.Generator(Seed, 0);
        ReplaceEpochStartState(shuffler.get_state());
    }

    void ReplaceEpochStartState(Tensor state)
    {
        epochStartState?.Dispose();
        epochStartState = state.DetachFromDisposeScope();
    }

    /// <summary>Writes the model's parameters and buffers, the optimizer's state, the step counters, the shuffling
    /// generator's state, torch's global generator state and the history to <paramref name="path"/>, atomically.</summary>
    /// <exception cref="NotSupportedException">The optimizer cannot save its state (it is not an OptimizerHelper).</exception>
    public void SaveCheckpoint(string path)
    {
        var helper = optimizer as OptimizerHelper
            ?? throw new NotSupportedException($"The optimizer {optimizer.GetType().Name} cannot save its state; checkpoints need a TorchSharp OptimizerHelper.");
        EnsureShuffler();
        AtomicFile.Write(path, stream =>
        {
            using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            w.Write(CheckpointMagic);
            w.Write(CheckpointFormat);
            w.Write(Step);
            w.Write(Epoch);
            w.Write(stepInEpoch);
            w.Write(lastFiniteLoss);
            WriteBytes(w, epochStartState!);
            using (var global = torch.random.get_rng_state()) WriteBytes(w, global);
            model.save(w);
            helper.save_state_dict(w);
            History.Write(w);
            (objective as ICheckpointable)?.SaveState(w);
            (Clipper as ICheckpointable)?.SaveState(w);
        });
    }

    /// <summary>Restores everything <see cref="SaveCheckpoint"/> wrote, into this trainer's model and optimizer (which must
    /// have the same architecture and optimizer type as the ones that wrote it).</summary>
    /// <exception cref="InvalidDataException">The file is not a LossLab checkpoint or has another format version.</exception>
    public void LoadCheckpoint(string path)
    {
        var helper = optimizer as OptimizerHelper
            ?? throw new NotSupportedException($"The optimizer {optimizer.GetType().Name} cannot load state; checkpoints need a TorchSharp OptimizerHelper.");
        using var stream = File.OpenRead(path);
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8);
        string magic;
        try { magic = r.ReadString(); }
        catch (EndOfStreamException) { throw new InvalidDataException($"{path} is not a LossLab checkpoint (it is too short)."); }
        if (magic != CheckpointMagic) throw new InvalidDataException($"{path} is not a LossLab checkpoint.");
        int format = r.ReadInt32();
        if (format != CheckpointFormat)
            throw new InvalidDataException($"{path} has checkpoint format {format}; this LossLab reads format {CheckpointFormat}.");
        Step = r.ReadInt64();
        Epoch = r.ReadInt32();
        stepInEpoch = r.ReadInt64();
        lastFiniteLoss = r.ReadDouble();
        byte[] shuffleState = ReadBytes(r), globalState = ReadBytes(r);
        model.load(r);
        helper.load_state_dict(r);
        History.Read(r);
        (objective as ICheckpointable)?.LoadState(r);
        (Clipper as ICheckpointable)?.LoadState(r);
        EnsureShuffler();
        ReplaceEpochStartState(torch.tensor(shuffleState, dtype: ScalarType.Byte));
        using var global = torch.tensor(globalState, dtype: ScalarType.Byte);
        torch.random.set_rng_state(global);
    }

    static void WriteBytes(BinaryWriter w, Tensor state)
    {
        var bytes = state.data<byte>().ToArray();
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    static byte[] ReadBytes(BinaryReader r) => r.ReadBytes(r.ReadInt32());
}
