using LossLab.Data;
using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// Relearn time (Golatkar et al. 2020, arXiv:1911.04933; "Are We Truly Forgetting?"): the number of full-batch SGD steps
/// of fine-tuning on a small relearn set (e.g. 20 forget samples) until the forget accuracy reaches a threshold. Fast
/// relearning means the information was hidden, not removed. The model is restored to its state before the measurement.
/// </summary>
public static class RelearnTime
{
    /// <summary>Steps until <paramref name="evaluation"/> accuracy ≥ <paramref name="threshold"/> (0 if it already is),
    /// or null if <paramref name="maxSteps"/> steps do not reach it.</summary>
    /// <param name="model">The unlearned model (restored afterwards).</param>
    /// <param name="relearn">The relearn set, one full batch per step.</param>
    /// <param name="evaluation">Where accuracy is measured (the forget set).</param>
    /// <param name="threshold">Accuracy in percent (e.g. 90).</param>
    /// <param name="learningRate">Plain SGD step size.</param>
    /// <param name="maxSteps">The cap.</param>
    public static int? Measure(nn.Module<Tensor, Tensor> model, LabeledTensors relearn, LabeledTensors evaluation,
        double threshold = 90, double learningRate = 0.01, int maxSteps = 500)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(relearn);
        ArgumentNullException.ThrowIfNull(evaluation);
        if (relearn.Count == 0) throw new ArgumentException("relearn must hold at least one sample.", nameof(relearn));
        Guard.InRange(threshold, 0, 100, nameof(threshold));
        Guard.Positive(learningRate, nameof(learningRate));
        if (maxSteps < 0) throw new ArgumentOutOfRangeException(nameof(maxSteps), maxSteps, "maxSteps must be ≥ 0.");
        var saved = ModelState.Snapshot(model);
        bool training = model.training;
        try
        {
            var parameters = model.parameters().Where(p => p.requires_grad).ToArray();
            using var optimizer = new Optim.SgdOptimizer(parameters, learningRate);
            for (int step = 0; ; step++)
            {
                if (ModelOutputs.AccuracyPercent(model, evaluation) >= threshold) return step;
                if (step == maxSteps) return null;
                using var scope = NewDisposeScope();
                model.train();
                optimizer.zero_grad();
                nn.functional.cross_entropy(model.call(relearn.Features), relearn.Labels).backward();
                optimizer.step();
            }
        }
        finally
        {
            ModelState.Load(model, saved);
            ModelState.Dispose(saved);
            if (training) model.train(); else model.eval();
        }
    }
}
