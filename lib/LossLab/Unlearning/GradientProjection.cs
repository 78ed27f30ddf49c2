using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// The forget update projected orthogonally to the retain gradient (UNO, "Unlearning via Orthogonalization in Generative
/// models", 2025; the projection of gradient surgery, Yu et al. 2020, arXiv:2001.06782): with g_f = ∇(a·ℓ_forget) and
/// g_r = ∇(b·CE_retain) over all trainable parameters flattened into one vector,
/// g = g_f − (g_f·g_r / ‖g_r‖²)·g_r + ρ·g_r, so that to first order the forget step leaves the retain loss unchanged.
/// ρ (default 1) keeps the retain descent of GradDiff; ρ = 0 gives the pure projected forget step. When g_r = 0 the
/// projection is the identity.
/// </summary>
public sealed class GradientProjection : IGradientObjective
{
    /// <param name="inner">A two-term objective; its forget and retain terms give g_f and g_r.</param>
    /// <param name="retainStep">ρ ≥ 0.</param>
    public GradientProjection(ForgetRetainObjective inner, double retainStep = 1.0)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        RetainStep = Guard.NonNegative(retainStep, nameof(retainStep));
    }

    /// <summary>The two-term objective.</summary>
    public ForgetRetainObjective Inner { get; }
    /// <summary>ρ.</summary>
    public double RetainStep { get; }

    /// <inheritdoc/>
    public string Name => Inner.Name + "+proj";

    /// <summary>The loss value L = forget + retain term (for the history; <see cref="Backward"/> sets the gradients).</summary>
    public Tensor Loss(nn.Module<Tensor, Tensor> model, UnlearningBatch batch) => Inner.Loss(model, batch);

    /// <inheritdoc/>
    public Tensor Backward(nn.Module<Tensor, Tensor> model, UnlearningBatch batch)
    {
        var parameters = model.parameters().Where(p => p.requires_grad).ToArray();
        var forget = Inner.ForgetLoss(model, batch);
        var gf = Gradients(forget, parameters);
        var retain = Inner.RetainLoss(model, batch);
        var gr = Gradients(retain, parameters);
        Tensor dot = zeros(Array.Empty<long>(), dtype: float64), norm2 = zeros(Array.Empty<long>(), dtype: float64);
        for (int i = 0; i < parameters.Length; i++)
        {
            dot += (gf[i].to_type(ScalarType.Float64) * gr[i].to_type(ScalarType.Float64)).sum().cpu();
            norm2 += gr[i].to_type(ScalarType.Float64).square().sum().cpu();
        }
        double n2 = norm2.item<double>();
        double coefficient = n2 > 0 ? dot.item<double>() / n2 : 0.0;
        using (no_grad())
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                var g = gf[i] - coefficient * gr[i] + RetainStep * gr[i];
                parameters[i].grad?.copy_(g);   // a parameter no term reaches has no gradient, and g = 0 for it
            }
        }
        return (forget + retain).detach();
    }

    static Tensor[] Gradients(Tensor loss, Tensor[] parameters)
    {
        foreach (var p in parameters) p.grad?.zero_();
        loss.backward();
        return parameters.Select(p => p.grad is null ? zeros_like(p) : p.grad.clone()).ToArray();
    }
}
