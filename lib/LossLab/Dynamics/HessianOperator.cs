using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Dynamics;

/// <summary>The Hessian H = ∇²L of a loss with respect to some parameters, as an operator v ↦ Hv (Pearlmutter, 1994):
/// the gradient g = ∇L is built once with its graph (double backward), and each product is Hv = ∇(g·v).</summary>
/// <remarks>The first <c>torch.autograd.grad</c> passes both <c>create_graph</c> and <c>retain_graph</c>; with only the first,
/// a second backward through g aborts the process. Products keep the graph, so any number of them can be taken; dispose the
/// operator (and the loss's graph) when done. Products are detached.</remarks>
public sealed class HessianOperator : IDisposable
{
    readonly Tensor[] inputs;
    readonly Tensor[] gradient;

    /// <summary>Number of scalar coordinates (the Hessian's size is Dimension × Dimension).</summary>
    public long Dimension { get; }

    /// <summary>The shapes of the parameter tensors, in order.</summary>
    public IReadOnlyList<long[]> Shapes { get; }

    /// <param name="loss">A scalar loss computed from <paramref name="parameters"/> with autograd enabled.</param>
    /// <param name="parameters">The tensors (requiring grad) to differentiate with respect to.</param>
    public HessianOperator(Tensor loss, IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(parameters);
        if (loss.numel() != 1) throw new ArgumentException($"loss must be a scalar; got shape {Guard.Shape(loss)}.", nameof(loss));
        if (!loss.requires_grad) throw new ArgumentException("loss must be computed with autograd enabled from the parameters.", nameof(loss));
        inputs = parameters.ToArray();
        if (inputs.Length == 0) throw new ArgumentException("parameters must not be empty.", nameof(parameters));
        using var _ = torch.enable_grad();
        gradient = torch.autograd.grad([loss], inputs, create_graph: true, retain_graph: true, allow_unused: true)
            .Select((g, i) => g is null || g.IsInvalid ? torch.zeros_like(inputs[i]) : g).ToArray();
        Dimension = inputs.Sum(p => p.numel());
        Shapes = inputs.Select(p => p.shape).ToArray();
    }

    /// <summary>The gradient ∇L, detached (one tensor per parameter).</summary>
    public Tensor[] Gradient() => gradient.Select(g => g.detach().clone()).ToArray();

    /// <summary>Hv for v given as one tensor per parameter (shapes as <see cref="Shapes"/>).</summary>
    public Tensor[] Multiply(IReadOnlyList<Tensor> v)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (v.Count != inputs.Length)
            throw new ArgumentException($"v must have one tensor per parameter ({inputs.Length}); got {v.Count}.", nameof(v));
        for (var i = 0; i < v.Count; i++) Guard.SameShape(inputs[i], v[i], $"parameters[{i}]", $"v[{i}]");
        using var _ = torch.enable_grad();
        Tensor dot = torch.zeros(1, dtype: gradient[0].dtype, device: gradient[0].device).squeeze();
        for (var i = 0; i < v.Count; i++)
            if (gradient[i].requires_grad) dot = dot + (gradient[i] * v[i].detach()).sum();
        if (!dot.requires_grad) return inputs.Select(p => torch.zeros_like(p)).ToArray();   // L linear in the parameters
        var hv = torch.autograd.grad([dot], inputs, retain_graph: true, allow_unused: true);
        return hv.Select((h, i) => h is null || h.IsInvalid ? torch.zeros_like(inputs[i]) : h.detach()).ToArray();
    }

    /// <summary>Frees the retained gradient.</summary>
    public void Dispose()
    {
        foreach (var g in gradient) g.Dispose();
    }
}
