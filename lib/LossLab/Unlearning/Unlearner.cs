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
/// <remarks>It is a loop of its own rather than <see cref="LossLab.Training.Trainer"/> because unlearning methods need two
/// things a training step does not offer: a hook after the optimizer step (SalUn keeps masked-out weights at θ₀) and
/// objectives that write their own gradients (gradient projection); and each step draws from two data sets.</remarks>
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
    public static UnlearningRun Run(nn.Module<Tensor, Tensor> model, IUnlearningObjective objective, TensorDataset forget,
        TensorDataset retain, UnlearningOptions? options = null, IReadOnlyList<IUnlearningHook>? hooks = null,
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
        var losses = new List<double>(options.Steps);
        var parameters = model.parameters().Where(p => p.requires_grad).ToArray();
        using var optimizer = new Optim.SgdOptimizer(parameters, options.LearningRate, options.Momentum, weightDecay: options.WeightDecay);
        using var forgetStream = new IndexStream(forget.Count, options.ForgetBatchSize, options.Seed, stream: 101);
        using var retainStream = new IndexStream(retain.Count, options.RetainBatchSize, options.Seed, stream: 102);
        foreach (var hook in hooks) hook.Begin(model);
        model.train();
        for (int step = 0; step < options.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var fi = forgetStream.Next().to(forget.Features.device);
            var ri = retainStream.Next().to(retain.Features.device);
            var batch = new UnlearningBatch(forget.Features.index_select(0, fi), forget.Labels.index_select(0, fi),
                retain.Features.index_select(0, ri), retain.Labels.index_select(0, ri), step, fi);
            optimizer.zero_grad();
            Tensor loss;
            double value;
            if (objective is IGradientObjective gradientObjective)
            {
                loss = gradientObjective.Backward(model, batch);
                value = loss.to_type(ScalarType.Float64).item<double>();
            }
            else
            {
                loss = objective.Loss(model, batch);
                if (loss.numel() != 1) throw new InvalidOperationException($"{objective.Name} returned a loss of shape {Guard.Shape(loss)}; a scalar is required.");
                value = loss.detach().to_type(ScalarType.Float64).item<double>();
                if (double.IsFinite(value)) loss.backward();
            }
            if (!double.IsFinite(value))
            {
                nonFiniteStep = step;   // stop before stepping: the parameters are those that gave the last finite loss and one more step
                break;
            }
            foreach (var hook in hooks) hook.AfterBackward(model, batch);
            optimizer.step();
            foreach (var hook in hooks) hook.AfterStep(model, batch);
            losses.Add(value);
            onStep?.Invoke(step, model);
        }
        model.eval();
        watch.Stop();
        return new UnlearningRun(objective.Name, losses, watch.Elapsed, nonFiniteStep);
    }

    /// <summary>Retrain, the oracle: fine-tune a freshly initialised <paramref name="freshModel"/> on D_r alone for
    /// <c>options.Steps</c> steps (give it the original training budget and the original seeds).</summary>
    public static UnlearningRun Retrain(nn.Module<Tensor, Tensor> freshModel, TensorDataset retain, UnlearningOptions options)
    {
        ArgumentNullException.ThrowIfNull(retain);
        using var noForget = new TensorDataset(retain.Features.narrow(0, 0, 0).clone(), retain.Labels.narrow(0, 0, 0).clone());
        return Run(freshModel, UnlearningObjectives.Retrain(), noForget, retain, options with { ForgetBatchSize = 0 });
    }
}
