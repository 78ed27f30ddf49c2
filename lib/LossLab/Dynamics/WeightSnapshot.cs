using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Dynamics;

/// <summary>A detached copy of parameters taken before an optimizer step, to measure the update-to-weight ratio
/// ‖Δw‖₂ / ‖w‖₂ (globally and per tensor) after it; ratios around 10⁻³ are the usual healthy range for Adam.</summary>
public sealed class WeightSnapshot : IDisposable
{
    readonly Parameter[] parameters;
    readonly Tensor[] copies;

    /// <summary>Copies the current values of <paramref name="parameters"/>.</summary>
    public WeightSnapshot(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = parameters.ToArray();
        using var _ = torch.no_grad();
        copies = this.parameters.Select(p => p.detach().clone().DetachFromDisposeScope()).ToArray();
    }

    /// <summary>‖w_now − w_then‖₂ / ‖w_then‖₂ over all parameters concatenated (∞ if w_then = 0 and w moved; 0 if neither).</summary>
    public double UpdateToWeightRatio()
    {
        double delta = 0, weight = 0;
        for (var i = 0; i < copies.Length; i++) (delta, weight) = (delta + DeltaSquared(i), weight + Norms.Squared(copies[i]));
        return Ratio(delta, weight);
    }

    /// <summary>‖Δwᵢ‖ / ‖wᵢ‖ for each parameter tensor, in order.</summary>
    public double[] UpdateToWeightRatios() =>
        copies.Select((c, i) => Ratio(DeltaSquared(i), Norms.Squared(c))).ToArray();

    double DeltaSquared(int i)
    {
        using var _ = torch.no_grad();
        using var d = parameters[i].detach() - copies[i];
        return Norms.Squared(d);
    }

    static double Ratio(double delta, double weight) =>
        weight == 0 ? (delta == 0 ? 0 : double.PositiveInfinity) : Math.Sqrt(delta / weight);

    /// <summary>Frees the copies.</summary>
    public void Dispose()
    {
        foreach (var c in copies) c.Dispose();
    }
}
