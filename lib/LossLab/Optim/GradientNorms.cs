using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Optim;

/// <summary>Gradient norms accumulated in float64, shared by the clippers.</summary>
internal static class GradientNorms
{
    /// <summary>‖g‖₂ of one gradient.</summary>
    public static double Of(Tensor grad)
    {
        using var n = grad.detach().to_type(ScalarType.Float64).norm();
        return n.ToDouble();
    }

    /// <summary>The parameters that have a gradient, with their gradients.</summary>
    public static List<(Parameter Parameter, Tensor Grad)> Present(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = new List<(Parameter, Tensor)>();
        foreach (var p in parameters)
            if (p.grad is { } g) list.Add((p, g));
        return list;
    }
}
