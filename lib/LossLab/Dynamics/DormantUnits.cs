using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Dynamics;

/// <summary>τ-dormant units (Sokar et al., 2023, "The Dormant Neuron Phenomenon in Deep RL", arXiv:2302.12902): unit i of a
/// layer with activations h (B samples × U units) has score sᵢ = E|hᵢ| / ((1/U)·Σⱼ E|hⱼ|) and is dormant when sᵢ ≤ τ.</summary>
public static class DormantUnits
{
    /// <summary>The normalised scores sᵢ (U values). When every activation is zero all scores are 0.</summary>
    public static double[] Scores(Tensor activations)
    {
        Check(activations);
        using var _ = torch.no_grad();
        using var mean = activations.detach().to_type(ScalarType.Float64).abs().mean([0L]).cpu();
        var m = mean.data<double>().ToArray();
        var avg = m.Average();
        return avg == 0 ? new double[m.Length] : m.Select(x => x / avg).ToArray();
    }

    /// <summary>Fraction of units with sᵢ ≤ τ. Paper: τ = 0 (dead units) to 0.1; LossLab's plasticity notebook uses 0.01.</summary>
    public static double Fraction(Tensor activations, double tau = 0.01)
    {
        Guard.NonNegative(tau, nameof(tau));
        var s = Scores(activations);
        return s.Count(x => x <= tau) / (double)s.Length;
    }

    /// <summary>Fraction of units that are exactly zero on every sample (dead ReLUs).</summary>
    public static double DeadFraction(Tensor activations)
    {
        Check(activations);
        using var _ = torch.no_grad();
        using var anyActive = activations.detach().ne(0).any(0);
        return 1 - anyActive.to_type(ScalarType.Float64).mean().ToDouble();
    }

    static void Check(Tensor activations)
    {
        ArgumentNullException.ThrowIfNull(activations);
        Guard.Rank(activations, 2, nameof(activations));
        Guard.Floating(activations, nameof(activations));
        if (activations.shape[0] == 0 || activations.shape[1] == 0)
            throw new ArgumentException($"activations must have at least one sample and one unit; got shape {Guard.Shape(activations)}.", nameof(activations));
    }
}
