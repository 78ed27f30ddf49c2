using System.Diagnostics;
using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// The one loop that runs every unlearning method: a fixed budget of SGD steps, each in its own dispose scope, on one
/// forget and one retain mini-batch. A step: zero the gradients, compute the objective's loss and back-propagate it (or
/// let an <see cref="IGradientObjective"/> write the gradients), run the hooks' <c>AfterBackward</c>, take the optimizer
/// step, run the hooks' <c>AfterStep</c>. The model is changed in place. A non-finite loss ends the run before that
/// step's update (recorded in <see cref="UnlearningRun.NonFiniteStep"/>), as gradient ascent can diverge.
/// </summary>
/// <remarks>The steps are <see cref="Training.Trainer"/>'s (<see cref="Training.Trainer.FitSteps"/>): each step's source draws
/// the forget and the retain mini-batch, the method's objective runs as a <see cref="Training.IGradientObjective"/>, and
/// the hooks run as the trainer's after-backward and after-step actions (under no_grad).</remarks>
public static class Unlearner
{
    /// <summary>Runs <paramref name="objective"/> on <paramref name="model"/> for <c>options.Steps</c> steps.</summary>
    /// <param name="model">The model to unlearn, in its original state θ₀; trained in place.</param>
    /// <param name="objective">The method's objective.</param>
    /// <param name="forget">D_f (features, int64 labels), on the model's device.</param>
    /// <param name="retain">D_r, on the model's device.</param>
    /// <param name="options">The budget and optimizer settings.</param>
    /// <param name="hooks">Hooks of the method (SalUn's mask, a layer restriction), run in order.</param>
    /// <param name="onStep">Called after each step with the step index and the model (e.g. to record FA–RA trajectories);
    /// it runs inside the step's dispose scope.</param>
    public static UnlearningRun Run(nn.Module<Tensor, Tensor> model, IUnlearningObjective objective, LabeledTensors forget,
        LabeledTensors retain, UnlearningOptions? options = null, IReadOnlyList<IUnlearningHook>? hooks = null,
        Action<int, nn.Module<Tensor, Tensor>>? onStep = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(forget);
        ArgumentNullException.ThrowIfNull(retain);
        options ??= new UnlearningOptions();
        options.Validate();
        hooks ??= [];
        if (options.ForgetBatchSize > 0 && forget.Count == 0 && options.RetainBatchSize == 0)
            throw new ArgumentException("forget is empty and there is no retain batch.", nameof(forget));

        var watch = Stopwatch.StartNew();
        int? nonFiniteStep = null;
        var parameters = model.parameters().Where(p => p.requires_grad).ToArray();
        using var optimizer = new Optim.SgdOptimizer(parameters, options.LearningRate, options.Momentum, weightDecay: options.WeightDecay);
        using var forgetStream = new IndexStream(forget.Count, options.ForgetBatchSize, options.Seed, stream: 101);
        using var retainStream = new IndexStream(retain.Count, options.RetainBatchSize, options.Seed, stream: 102);
        foreach (var hook in hooks) hook.Begin(model);
        UnlearningBatch current = default!;
        var trainer = new Training.Trainer(model, optimizer, new StepObjective(objective, model, () => current));
        trainer.AddAfterBackward(_ => { foreach (var hook in hooks) hook.AfterBackward(model, current); });
        trainer.AddAfterStep((b, _) =>
        {
            foreach (var hook in hooks) hook.AfterStep(model, current);
            onStep?.Invoke((int)b.Step, model);
        });
        var result = trainer.FitSteps(step =>
        {
            var fi = forgetStream.Next().to(forget.Features.device);
            var ri = retainStream.Next().to(retain.Features.device);
            current = new UnlearningBatch(forget.Features.index_select(0, fi), forget.Labels.index_select(0, fi),
                retain.Features.index_select(0, ri), retain.Labels.index_select(0, ri), (int)step, fi);
            return (current.ForgetX, current.ForgetY);
        }, options.Steps);
        // stopped before stepping: the parameters are those that gave the last finite loss and one more step
        if (result.Status == Training.TrainingStatus.NonFinite) nonFiniteStep = (int)result.NonFiniteStep!.Value;
        model.eval();
        watch.Stop();
        return new UnlearningRun(objective.Name, trainer.History.Losses.ToList(), watch.Elapsed, nonFiniteStep);
    }

    /// <summary>An unlearning objective as one trainer step: the gradients of the current forget/retain batch, written by
    /// the method itself or back-propagated from its loss; the value recorded is the loss in float64.</summary>
    sealed class StepObjective(IUnlearningObjective objective, nn.Module<Tensor, Tensor> model, Func<UnlearningBatch> current)
        : Training.IGradientObjective
    {
        public Tensor Loss(Training.Batch batch) => objective.Loss(model, current());

        public double Backward(Training.Batch batch)
        {
            var b = current();
            if (objective is IGradientObjective writesGradients)
                return writesGradients.Backward(model, b).to_type(ScalarType.Float64).item<double>();
            var loss = objective.Loss(model, b);
            if (loss.numel() != 1) throw new InvalidOperationException($"{objective.Name} returned a loss of shape {Guard.Shape(loss)}; a scalar is required.");
            double value = loss.detach().to_type(ScalarType.Float64).item<double>();
            if (double.IsFinite(value)) loss.backward();
            return value;
        }
    }

    /// <summary>Retrain, the oracle: fine-tune a freshly initialised <paramref name="freshModel"/> on D_r alone for
    /// <c>options.Steps</c> steps (give it the original training budget and the original seeds).</summary>
    public static UnlearningRun Retrain(nn.Module<Tensor, Tensor> freshModel, LabeledTensors retain, UnlearningOptions options)
    {
        ArgumentNullException.ThrowIfNull(retain);
        using var noForget = new LabeledTensors(retain.Features.narrow(0, 0, 0).clone(), retain.Labels.narrow(0, 0, 0).clone());
        return Run(freshModel, UnlearningObjectives.Retrain(), noForget, retain, options with { ForgetBatchSize = 0 });
    }
}
