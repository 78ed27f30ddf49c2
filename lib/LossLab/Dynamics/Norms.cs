using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Dynamics;

/// <summary>Norm monitors of a model during training, accumulated in float64: global and per-parameter-tensor ("layer")
/// gradient and weight norms, and the gradient–weight alignment cos(g, w).</summary>
public static class Norms
{
    /// <summary>‖w‖₂ of all parameters concatenated.</summary>
    public static double Weight(IEnumerable<Parameter> parameters) => Math.Sqrt(Checked(parameters).Sum(p => Squared(p)));

    /// <summary>‖g‖₂ of all gradients concatenated (parameters without a gradient count as zero).</summary>
    public static double Gradient(IEnumerable<Parameter> parameters) =>
        Math.Sqrt(Checked(parameters).Sum(p => p.grad is { } g ? Squared(g) : 0));

    /// <summary>‖w‖₂ of each named parameter of <paramref name="module"/>.</summary>
    public static Dictionary<string, double> WeightPerLayer(nn.Module module) =>
        Named(module).ToDictionary(x => x.name, x => Math.Sqrt(Squared(x.parameter)));

    /// <summary>‖g‖₂ of each named parameter of <paramref name="module"/> (0 without a gradient).</summary>
    public static Dictionary<string, double> GradientPerLayer(nn.Module module) =>
        Named(module).ToDictionary(x => x.name, x => x.parameter.grad is { } g ? Math.Sqrt(Squared(g)) : 0);

    /// <summary>Gradient–weight alignment cos(g, w) = ⟨g, w⟩ / (‖g‖·‖w‖) over all parameters concatenated; 0 when either
    /// norm is 0. Positive: the gradient step shrinks the weights.</summary>
    public static double GradientWeightAlignment(IEnumerable<Parameter> parameters)
    {
        double dot = 0, gg = 0, ww = 0;
        using var _ = torch.no_grad();
        foreach (var p in Checked(parameters))
        {
            ww += Squared(p);
            if (p.grad is not { } g) continue;
            gg += Squared(g);
            using var d = (g.detach().to_type(ScalarType.Float64) * p.detach().to_type(ScalarType.Float64)).sum();
            dot += d.ToDouble();
        }
        return gg == 0 || ww == 0 ? 0 : dot / Math.Sqrt(gg * ww);
    }

    /// <summary>cos(g, w) for each named parameter of <paramref name="module"/>.</summary>
    public static Dictionary<string, double> GradientWeightAlignmentPerLayer(nn.Module module) =>
        Named(module).ToDictionary(x => x.name, x => GradientWeightAlignment([x.parameter]));

    internal static double Squared(Tensor t)
    {
        using var _ = torch.no_grad();
        using var s = t.detach().to_type(ScalarType.Float64).square().sum();
        return s.ToDouble();
    }

    static Parameter[] Checked(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.ToArray();
    }

    static IEnumerable<(string name, Parameter parameter)> Named(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return module.named_parameters();
    }
}
