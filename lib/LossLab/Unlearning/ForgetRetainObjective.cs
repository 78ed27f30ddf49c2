using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// The common two-term unlearning objective L = a·mean_{D_f batch} ℓ_forget + b·CE(D_r batch): gradient ascent (a = 1,
/// b = 0, ℓ = −CE), GradDiff (b = λ), NegGrad+ (a = 1 − β, b = β), random labels, inverted hinge, FLAT, fine-tuning
/// (a = 0) and retraining (fine-tuning a fresh model). Built by <see cref="UnlearningObjectives"/>.
/// </summary>
public sealed class ForgetRetainObjective : IUnlearningObjective
{
    /// <param name="name">The method's name.</param>
    /// <param name="forget">The forget term ℓ, or null for none (a must then be 0).</param>
    /// <param name="forgetWeight">a ≥ 0.</param>
    /// <param name="retainWeight">b ≥ 0, the weight of retain cross-entropy.</param>
    public ForgetRetainObjective(string name, IForgetTerm? forget, double forgetWeight, double retainWeight)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ForgetWeight = Guard.NonNegative(forgetWeight, nameof(forgetWeight));
        RetainWeight = Guard.NonNegative(retainWeight, nameof(retainWeight));
        if (forget is null && forgetWeight != 0)
            throw new ArgumentException("forgetWeight must be 0 when there is no forget term.", nameof(forgetWeight));
        if (forgetWeight == 0 && retainWeight == 0)
            throw new ArgumentException("forgetWeight and retainWeight cannot both be 0.", nameof(retainWeight));
        Name = name;
        Forget = forget;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>ℓ_forget, or null.</summary>
    public IForgetTerm? Forget { get; }

    /// <summary>a.</summary>
    public double ForgetWeight { get; }

    /// <summary>b.</summary>
    public double RetainWeight { get; }

    /// <summary>a·mean ℓ_forget over the forget batch (a zero with the model's graph when a = 0 or the batch is empty).</summary>
    public Tensor ForgetLoss(nn.Module<Tensor, Tensor> model, UnlearningBatch batch)
    {
        if (Forget is null || ForgetWeight == 0 || batch.ForgetX.shape[0] == 0) return ZeroWithGraph(model, batch.ForgetX);
        var logits = model.call(batch.ForgetX);
        return ForgetWeight * Forget.PerSample(logits, batch.ForgetY, batch).mean();
    }

    /// <summary>b·CE over the retain batch (a zero with the model's graph when b = 0 or the batch is empty).</summary>
    public Tensor RetainLoss(nn.Module<Tensor, Tensor> model, UnlearningBatch batch)
    {
        if (RetainWeight == 0 || batch.RetainX.shape[0] == 0) return ZeroWithGraph(model, batch.RetainX);
        var logits = model.call(batch.RetainX);
        Guard.LogitsAndTargets(logits, batch.RetainY, "retain logits", nameof(batch.RetainY));
        return RetainWeight * nn.functional.cross_entropy(logits, batch.RetainY);
    }

    /// <inheritdoc/>
    public Tensor Loss(nn.Module<Tensor, Tensor> model, UnlearningBatch batch) => ForgetLoss(model, batch) + RetainLoss(model, batch);

    /// <summary>0 times the sum of the parameters: loss 0, gradient 0, graph intact.</summary>
    internal static Tensor ZeroWithGraph(nn.Module<Tensor, Tensor> model, Tensor like)
    {
        Tensor? total = null;
        foreach (var p in model.parameters())
        {
            if (!p.requires_grad) continue;
            var s = p.sum() * 0.0;
            total = total is null ? s : total + s;
        }
        return total ?? zeros(Array.Empty<long>(), dtype: like.dtype, device: like.device);
    }
}
