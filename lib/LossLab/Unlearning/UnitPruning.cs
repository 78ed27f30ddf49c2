using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// Class unlearning by removing hidden units, scored by local reconstruction error without labels or gradients, after
/// ModHiFi-U ("ModHiFi: Identifying High Fidelity predictive components for Model Modification", 2025): the output of the layer that reads a hidden layer is reconstructed without one of its units, and
/// the units whose removal changes that output the most on forget-class inputs — relative to other inputs — are removed.
/// For a unit j of a hidden layer with activations h (n, H) read by a linear layer with weight W (O, H), removing j
/// changes the next layer's output by exactly W_{:,j}·h_j, so its removal error on inputs X is
/// e_j(X) = mean_{x∈X} ‖W_{:,j} h_j(x)‖² = ‖W_{:,j}‖² · mean_{x∈X} h_j(x)². The forget-specific score is
/// s_j = e_j(X_forget) / (e_j(X_reference) + ε): large when the unit carries the forget inputs and little else.
/// Removing a unit is one of two operations: <see cref="Prune"/> only sets its column of W to zero (no reconstruction: the
/// next layer's output loses W_{:,j}·h_j); <see cref="PruneAndRefit"/> also reconstructs, as ModHiFi's subset fidelity
/// does, by re-fitting the next layer's weight and bias on the kept units by least squares so that its outputs on a
/// subset of retain inputs match the unpruned model's.
/// </summary>
public static class UnitPruning
{
    /// <summary>Removal error e_j = ‖W_{:,j}‖²·mean_n h_{n,j}² of every unit j, for activations (n, H) and the next
    /// layer's weight (O, H); computed in float64.</summary>
    public static double[] RemovalErrors(Tensor activations, Tensor nextWeight)
    {
        Check(activations, nextWeight);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var h = activations.detach().to_type(ScalarType.Float64).cpu();
        var w = nextWeight.detach().to_type(ScalarType.Float64).cpu();
        var meanSquare = h.square().mean([0]);
        var columnNorm = w.square().sum(dim: 0);
        return (meanSquare * columnNorm).data<double>().ToArray();
    }

    /// <summary>Forget-specific scores s_j = e_j(forget) / (e_j(reference) + ε), from the activations of the forget
    /// inputs and of reference inputs (e.g. unlabelled held-out data) and the next layer's weight.</summary>
    public static double[] ContrastScores(Tensor forgetActivations, Tensor referenceActivations, Tensor nextWeight, double epsilon = 1e-12)
    {
        Guard.Positive(epsilon, nameof(epsilon));
        var forget = RemovalErrors(forgetActivations, nextWeight);
        var reference = RemovalErrors(referenceActivations, nextWeight);
        return forget.Zip(reference, (f, r) => f / (r + epsilon)).ToArray();
    }

    /// <summary>The <paramref name="count"/> units with the largest scores, highest first (ties: lower index first).</summary>
    public static int[] Top(IReadOnlyList<double> scores, int count)
    {
        ArgumentNullException.ThrowIfNull(scores);
        if (count < 0 || count > scores.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must lie in [0, {scores.Count}] (the number of scores).");
        if (scores.Any(double.IsNaN)) throw new ArgumentException("scores must not be NaN.", nameof(scores));
        return Enumerable.Range(0, scores.Count).OrderByDescending(j => scores[j]).ThenBy(j => j).Take(count).ToArray();
    }

    /// <summary>Removes <paramref name="units"/> from the hidden layer read by <paramref name="nextWeight"/> (O, H) by
    /// zeroing their columns in place; nothing is re-fitted (for ModHiFi's reconstruction see <see cref="PruneAndRefit"/>).</summary>
    public static void Prune(Tensor nextWeight, IReadOnlyList<int> units)
    {
        ArgumentNullException.ThrowIfNull(nextWeight);
        ArgumentNullException.ThrowIfNull(units);
        Guard.Rank(nextWeight, 2, nameof(nextWeight));
        long width = nextWeight.shape[1];
        var bad = units.Where(u => u < 0 || u >= width).ToArray();
        if (bad.Length > 0)
            throw new ArgumentOutOfRangeException(nameof(units), $"units [{string.Join(", ", bad)}] lie outside [0, {width}) for nextWeight of shape {Guard.Shape(nextWeight)}.");
        if (units.Count == 0) return;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var index = tensor(units.Select(u => (long)u).ToArray(), dtype: ScalarType.Int64, device: nextWeight.device);
        nextWeight.index_fill_(1, index, 0.0);
    }

    /// <summary>Removes <paramref name="units"/> and re-fits the next layer (weight W (O, H), bias b (O) or null) in place
    /// by least squares on <paramref name="activations"/> H (n, H), the unpruned hidden layer's outputs on a subset of
    /// retain inputs: with K the kept units and targets Y = H·Wᵀ + 1·bᵀ (the unpruned next-layer outputs),
    /// [W'_K; b'] = argmin ‖[H_K 1]·[W'_Kᵀ; b'ᵀ] − Y‖²_F (minimum-norm solution through the pseudo-inverse, in float64;
    /// without a bias the column of ones is left out), then W[:, K] = W'_K, W[:, pruned] = 0, b = b'. The other units'
    /// activations do not depend on the pruned ones, so this reconstructs the next layer's output as well as any linear
    /// map of the kept units can on these inputs.</summary>
    /// <returns>The mean over the n inputs of ‖ΔY‖² after plain pruning (<see cref="Prune"/>) and after the re-fit.</returns>
    public static (double PrunedError, double RefitError) PruneAndRefit(Tensor activations, Tensor nextWeight, Tensor? nextBias,
        IReadOnlyList<int> units)
    {
        Check(activations, nextWeight);
        ArgumentNullException.ThrowIfNull(units);
        long width = nextWeight.shape[1], outputs = nextWeight.shape[0];
        var bad = units.Where(u => u < 0 || u >= width).ToArray();
        if (bad.Length > 0)
            throw new ArgumentOutOfRangeException(nameof(units), $"units [{string.Join(", ", bad)}] lie outside [0, {width}) for nextWeight of shape {Guard.Shape(nextWeight)}.");
        if (nextBias is not null)
        {
            Guard.Rank(nextBias, 1, nameof(nextBias));
            if (nextBias.shape[0] != outputs)
                throw new ArgumentException($"nextBias must have one entry per output of nextWeight (O, H): nextBias {Guard.Shape(nextBias)}, nextWeight {Guard.Shape(nextWeight)}.", nameof(nextBias));
        }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var h = activations.detach().to_type(ScalarType.Float64).cpu();
        var w = nextWeight.detach().to_type(ScalarType.Float64).cpu();
        long n = h.shape[0];
        var target = h.matmul(w.t());                                                        // (n, O), bias cancels in ΔY
        var pruned = units.Distinct().Select(u => (long)u).Order().ToArray();
        var kept = Enumerable.Range(0, (int)width).Select(j => (long)j).Except(pruned).ToArray();
        var keptIndex = tensor(kept, dtype: ScalarType.Int64);
        var prunedW = w.clone();
        if (pruned.Length > 0) prunedW.index_fill_(1, tensor(pruned, dtype: ScalarType.Int64), 0.0);
        double prunedError = (target - h.matmul(prunedW.t())).square().sum().item<double>() / n;

        var b = nextBias is null ? zeros(outputs, dtype: ScalarType.Float64) : nextBias.detach().to_type(ScalarType.Float64).cpu();
        var y = target + b;                                                                  // the unpruned outputs
        var x = h.index_select(1, keptIndex);                                                // (n, |K|)
        if (nextBias is not null) x = cat([x, ones(n, 1, dtype: ScalarType.Float64)], 1);
        var solution = linalg.pinv(x).matmul(y);                                             // (|K| (+1), O)
        double refitError = (x.matmul(solution) - y).square().sum().item<double>() / n;

        var refitW = zeros(outputs, width, dtype: ScalarType.Float64);
        refitW.index_copy_(1, keptIndex, solution.narrow(0, 0, kept.Length).t());
        nextWeight.copy_(refitW.to(nextWeight.dtype, nextWeight.device));
        if (nextBias is not null) nextBias.copy_(solution[kept.Length].to(nextBias.dtype, nextBias.device));
        return (prunedError, refitError);
    }

    static void Check(Tensor activations, Tensor nextWeight)
    {
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentNullException.ThrowIfNull(nextWeight);
        Guard.Rank(activations, 2, nameof(activations));
        Guard.Rank(nextWeight, 2, nameof(nextWeight));
        Guard.Floating(activations, nameof(activations));
        Guard.Floating(nextWeight, nameof(nextWeight));
        if (activations.shape[0] == 0) throw new ArgumentException($"activations must have at least one row; got {Guard.Shape(activations)}.", nameof(activations));
        if (activations.shape[1] != nextWeight.shape[1])
            throw new ArgumentException($"activations (n, H) must have one column per input of nextWeight (O, H): activations {Guard.Shape(activations)}, nextWeight {Guard.Shape(nextWeight)}.", nameof(activations));
    }
}
