using System.IO;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Optim;

/// <summary>Base of LossLab's managed optimizers: parameter groups with their own learning rate, β₁, β₂, ε and decoupled
/// weight decay λ, and per-parameter state (step count, first and second moment buffers). It derives from TorchSharp's
/// <see cref="OptimizerHelper"/>, so a training loop drives it like <c>torch.optim.Adam</c>: <c>zero_grad()</c>,
/// <c>step()</c>, and the learning rate of each entry of <c>ParamGroups</c>.</summary>
/// <remarks>An update runs under <c>no_grad</c> inside one dispose scope; state buffers are detached from every dispose
/// scope and freed by <see cref="Dispose(bool)"/>.</remarks>
public abstract class ElementwiseOptimizer : OptimizerHelper
{
    /// <summary>Hyperparameters of one parameter group. Unset values are taken from the optimizer's defaults.</summary>
    public sealed class Options : OptimizerOptions
    {
        /// <summary>β₁: decay of the first moment (momentum).</summary>
        public double? Beta1 { get; set; }
        /// <summary>β₂: decay of the second moment (or Lion's momentum decay).</summary>
        public double? Beta2 { get; set; }
        /// <summary>ε: added to denominators.</summary>
        public double? Epsilon { get; set; }
        /// <summary>λ: decoupled weight decay, θ ← θ − η·λ·θ.</summary>
        public double? WeightDecay { get; set; }

        /// <inheritdoc/>
        public override void SaveStateDict(BinaryWriter writer)
        {
            base.SaveStateDict(writer);
            writer.Write(Beta1 ?? 0); writer.Write(Beta2 ?? 0); writer.Write(Epsilon ?? 0); writer.Write(WeightDecay ?? 0);
        }

        /// <inheritdoc/>
        public override void LoadStateDict(BinaryReader reader)
        {
            base.LoadStateDict(reader);
            Beta1 = reader.ReadDouble(); Beta2 = reader.ReadDouble(); Epsilon = reader.ReadDouble(); WeightDecay = reader.ReadDouble();
        }

        /// <inheritdoc/>
        public override void LoadStateDict(OptimizerOptions source)
        {
            base.LoadStateDict(source);
            if (source is Options o) { Beta1 = o.Beta1; Beta2 = o.Beta2; Epsilon = o.Epsilon; WeightDecay = o.WeightDecay; }
        }
    }

    /// <summary>State of one parameter: the number of updates applied and up to two moment buffers.</summary>
    public sealed class State : OptimizerState, IDisposable
    {
        readonly Device device;

        /// <summary>Empty state for <paramref name="parameter"/>.</summary>
        public State(Parameter parameter) : base(parameter) => device = parameter.device;

        /// <summary>Number of updates applied to the parameter (t in bias corrections).</summary>
        public long Step { get; set; }
        /// <summary>First moment m (or momentum buffer); null until first used.</summary>
        public Tensor? First { get; set; }
        /// <summary>Second moment v; null until first used.</summary>
        public Tensor? Second { get; set; }

        /// <summary>Buffers are created lazily on the first update, so there is nothing to initialise.</summary>
        public override void Initialize(OptimizerOptions options) { }

        /// <summary>Frees the buffers.</summary>
        public void Dispose()
        {
            First?.Dispose(); Second?.Dispose();
            First = null; Second = null;
        }

        /// <inheritdoc/>
        public override void to(Device device)
        {
            if (First is not null) First = Move(First, device);
            if (Second is not null) Second = Move(Second, device);
        }

        static Tensor Move(Tensor t, Device device)
        {
            var moved = t.to(device).DetachFromDisposeScope();
            if (!ReferenceEquals(moved, t)) t.Dispose();
            return moved;
        }

        /// <inheritdoc/>
        public override void SaveStateDict(BinaryWriter writer)
        {
            writer.Write(Step);
            SaveConditionalStateTensor(writer, First!);
            SaveConditionalStateTensor(writer, Second!);
        }

        /// <inheritdoc/>
        public override void LoadStateDict(BinaryReader reader)
        {
            Step = reader.ReadInt64();
            var first = First; LoadConditionalStateTensor(reader, ref first!, device); First = first;
            var second = Second; LoadConditionalStateTensor(reader, ref second!, device); Second = second;
        }

        /// <inheritdoc/>
        public override void LoadStateDict(OptimizerState source)
        {
            if (source is not State s) throw new ArgumentException($"Expected a {nameof(State)}; got {source?.GetType().Name}.", nameof(source));
            Dispose();
            Step = s.Step;
            First = s.First?.detach().clone().DetachFromDisposeScope();
            Second = s.Second?.detach().clone().DetachFromDisposeScope();
        }
    }

    /// <summary>Creates the optimizer over parameter groups; unset group options fall back to <paramref name="defaults"/>.</summary>
    protected ElementwiseOptimizer(IEnumerable<ParamGroup<Options>> groups, Options defaults)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Guard.NonNegative(defaults.LearningRate ?? throw new ArgumentException("Defaults need a learning rate.", nameof(defaults)), "learningRate");
        Guard.NonNegative(defaults.WeightDecay ?? 0, "weightDecay");
        defaults.InitialLearningRate = defaults.LearningRate.Value;
        _defaults = defaults;
        _parameter_groups = new List<ParamGroup>();
        foreach (var g in groups) add_param_group(g);
    }

    /// <summary>One group holding all <paramref name="parameters"/>.</summary>
    protected static IEnumerable<ParamGroup<Options>> OneGroup(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return [new ParamGroup<Options>(parameters.ToArray(), new Options())];
    }

    /// <summary>Checks a β in [0, 1).</summary>
    protected static double Beta(double value, string name) =>
        value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [0, 1).");

    /// <inheritdoc/>
    public override void add_param_group(ParamGroup param_group)
    {
        ArgumentNullException.ThrowIfNull(param_group);
        var d = (Options)_defaults;
        param_group.Options ??= new Options();
        if (param_group.Options is not Options o)
            throw new ArgumentException($"Parameter groups of {GetType().Name} need {typeof(Options).FullName}.", nameof(param_group));
        o.LearningRate ??= d.LearningRate;
        o.Beta1 ??= d.Beta1; o.Beta2 ??= d.Beta2; o.Epsilon ??= d.Epsilon; o.WeightDecay ??= d.WeightDecay;
        o.InitialLearningRate = o.LearningRate!.Value;
        param_group.Parameters = param_group.Parameters.ToArray();
        _parameter_groups.Add(param_group);
        foreach (var p in param_group.Parameters) _state[p.Handle] = new State(p);
    }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    /// <param name="closure">Optional: re-evaluates the model (zero_grad, forward, backward) and returns the loss.</param>
    public override Tensor step(Func<Tensor>? closure = null) =>
        _step<ParamGroup>(group => UpdateGroup(group, (Options)group.Options), closure!);

    /// <summary>Updates one group; the default visits each parameter with a gradient, increments its step and calls
    /// <see cref="Update"/>.</summary>
    protected virtual void UpdateGroup(ParamGroup group, Options options)
    {
        foreach (var p in group.Parameters)
        {
            var grad = p.grad;
            if (grad is null) continue;
            var state = (State)_state[p.Handle];
            state.Step++;
            Update(p, grad, state, options);
        }
    }

    /// <summary>The update rule for one parameter (called under no_grad; temporaries belong to the step's dispose scope).</summary>
    protected abstract void Update(Parameter parameter, Tensor grad, State state, Options options);

    /// <summary>Applies decoupled weight decay θ ← θ·(1 − η·λ).</summary>
    protected static void DecayWeights(Parameter parameter, Options options)
    {
        var decay = options.LearningRate!.Value * options.WeightDecay!.Value;
        if (decay == 0) return;
        using var kept = (1 - decay).ToScalar();
        parameter.mul_(kept);
    }

    /// <summary>θ ← θ + α·<paramref name="direction"/>, with α held as a <see cref="Scalar"/> until libtorch returns
    /// (an implicit <c>double</c> argument is a temporary the garbage collector may free during the call; see <see cref="AdamOptimizer"/>).</summary>
    protected static void AddScaled(Tensor parameter, Tensor direction, double alpha)
    {
        using var a = alpha.ToScalar();
        parameter.add_(direction, alpha: a);
    }

    /// <summary>m ← β·m + (1 − β)·<paramref name="value"/>, constants held as in <see cref="AddScaled"/>.</summary>
    protected internal static void Average(Tensor m, Tensor value, double beta)
    {
        using var b = beta.ToScalar();
        using var rest = (1 - beta).ToScalar();
        m.mul_(b).add_(value, alpha: rest);
    }

    /// <summary>A zero buffer shaped like <paramref name="like"/>, detached from every dispose scope.</summary>
    protected static Tensor NewBuffer(Tensor like) => torch.zeros_like(like).DetachFromDisposeScope();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        foreach (var (_, st) in _state) (st as State)?.Dispose();
        _state.Clear();
    }
}
