using LossLab.Unlearning;

namespace LossLab.Experiments.Unlearning;

/// <summary>
/// One declared method of an <see cref="UnlearningBench"/>: a name and what it does to a copy of the original model.
/// <see cref="Method"/> is an <see cref="UnlearningMethod"/> (objective, hooks, options) run by <see cref="Unlearner"/>;
/// <see cref="Chunked"/> runs an objective in short chunks until a condition holds (early-stopped gradient ascent);
/// <see cref="Edit"/> sets the weights without optimising (a merge, an interpolation, pruning); <see cref="Custom"/> does
/// anything else with the <see cref="UnlearningContext"/>.
/// </summary>
public sealed class UnlearningArm
{
    readonly Func<UnlearningContext, UnlearningRun?> apply;

    UnlearningArm(string name, Func<UnlearningContext, UnlearningRun?> apply)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        this.apply = apply ?? throw new ArgumentNullException(nameof(apply));
    }

    /// <summary>The row name.</summary>
    public string Name { get; }

    internal UnlearningRun? Apply(UnlearningContext context) => apply(context);

    /// <summary>An <see cref="UnlearningMethod"/>: <paramref name="objective"/> (built per seed, e.g. random labels seeded
    /// by it) with <paramref name="hooks"/> (a saliency or layer mask, built on the original model) for the bench's budget,
    /// changed by <paramref name="options"/> (e.g. a smaller learning rate). The arm owns its hooks and their masks.</summary>
    public static UnlearningArm Method(string name, Func<UnlearningContext, IUnlearningObjective> objective,
        Func<UnlearningContext, IReadOnlyList<IUnlearningHook>>? hooks = null, Func<UnlearningOptions, UnlearningOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return new(name, c =>
        {
            var hookList = hooks?.Invoke(c) ?? [];
            foreach (var h in hookList) { c.Own(h); if (h is MaskedUpdate m) c.Own(m.Mask); }
            var method = new UnlearningMethod(name, objective(c), OptionsFor(c, options), hookList);
            return method.Run(c.Model, c.Forget, c.Retain, c.OnStep());
        });
    }

    /// <summary>Runs a fresh <paramref name="objective"/> in chunks of <paramref name="chunk"/> steps, each with its own batch
    /// order (seed·1000 + steps done) and a fresh optimizer, until <paramref name="stop"/> holds for the model (checked
    /// before every chunk) or <paramref name="maxSteps"/> steps are taken; a chunk that diverges ends the arm.</summary>
    public static UnlearningArm Chunked(string name, Func<UnlearningContext, IUnlearningObjective> objective, int chunk, int maxSteps,
        Func<UnlearningContext, bool> stop, Func<UnlearningOptions, UnlearningOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(stop);
        if (chunk < 1) throw new ArgumentOutOfRangeException(nameof(chunk), chunk, "chunk must be ≥ 1.");
        if (maxSteps < 0) throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, "maxSteps must be ≥ 0.");
        return new(name, c =>
        {
            var o = OptionsFor(c, options);
            var losses = new List<double>();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            int done = 0;
            int? nonFinite = null;
            while (done < maxSteps && !stop(c))
            {
                var run = Unlearner.Run(c.Model, objective(c), c.Forget, c.Retain, o with { Steps = chunk, Seed = (long)c.Seed * 1000 + done },
                    onStep: c.OnStep(done));
                losses.AddRange(run.Losses);
                if (!run.Completed) { nonFinite = done + run.NonFiniteStep; break; }
                done += chunk;
            }
            return new UnlearningRun(name, losses, clock.Elapsed, nonFinite);
        });
    }

    /// <summary>Sets the model's weights without optimising (<paramref name="edit"/> loads a merged or interpolated state
    /// with <see cref="UnlearningContext.Load"/>, or prunes <see cref="UnlearningContext.Model"/> in place).</summary>
    public static UnlearningArm Edit(string name, Action<UnlearningContext> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        return new(name, c => { edit(c); return null; });
    }

    /// <summary>Anything else: <paramref name="apply"/> changes <see cref="UnlearningContext.Model"/> in place and returns its
    /// run (pass <see cref="UnlearningContext.OnStep"/> to <see cref="Unlearner.Run"/> for checkpoints), or null.</summary>
    public static UnlearningArm Custom(string name, Func<UnlearningContext, UnlearningRun?> apply) => new(name, apply);

    static UnlearningOptions OptionsFor(UnlearningContext c, Func<UnlearningOptions, UnlearningOptions>? options) =>
        options is null ? c.Options : options(c.Options) ?? throw new InvalidOperationException("options returned null.");

    /// <inheritdoc/>
    public override string ToString() => Name;
}
