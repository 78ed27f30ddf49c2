using LossLab.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Unlearning;

/// <summary>
/// ModHiFi-U-style class unlearning on every hidden layer of an <see cref="Mlp"/> ("ModHiFi: Identifying High Fidelity
/// predictive components for Model Modification", 2025): layer by layer from the input, the units of hidden layer l are
/// scored by <see cref="UnitPruning.ContrastScores"/> (the removal error of the layer that reads them, on forget inputs
/// relative to reference inputs; no labels, no gradients), the top ⌊share·H_l + ½⌋ are removed and the reading layer is
/// re-fitted by least squares on the kept units (<see cref="UnitPruning.PruneAndRefit"/>, subset fidelity) so that its
/// outputs on the re-fit inputs match the model's before the removal. Scores and re-fit of layer l + 1 use the
/// activations of the model with layer l already pruned.
/// </summary>
public static class HiddenLayerPruning
{
    /// <summary>The activations of every hidden layer of <paramref name="model"/> on <paramref name="x"/> (B, d₀), in
    /// order from the input (what each following linear layer reads), without gradients.</summary>
    public static Tensor[] Activations(Mlp model, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(x);
        using var _ = no_grad();
        var body = Body(model);
        var result = new List<Tensor>();
        var h = x.dim() == 2 ? x : x.flatten(1);
        var children = body.named_children().ToArray();
        for (int i = 0; i < children.Length; i++)
        {
            h = ((nn.Module<Tensor, Tensor>)children[i].module).forward(h);
            bool lastOfLayer = i + 1 == children.Length || children[i + 1].name.StartsWith("linear", StringComparison.Ordinal);
            if (lastOfLayer) result.Add(h);
        }
        return [.. result];
    }

    /// <summary>Prunes ⌊<paramref name="share"/>·H_l + ½⌋ units of every hidden layer l of <paramref name="model"/> in
    /// place, as the class summary describes, and returns the removed units of each layer (highest score first).</summary>
    /// <param name="model">The model, pruned and re-fitted in place.</param>
    /// <param name="forget">Inputs of the data to forget (scores' numerator).</param>
    /// <param name="reference">Unlabelled reference inputs (scores' denominator).</param>
    /// <param name="refit">Inputs on which each reading layer's outputs are reconstructed (a subset of retain inputs).</param>
    /// <param name="share">The share of each hidden layer's units removed, in [0, 1).</param>
    public static int[][] PruneAndRefit(Mlp model, Tensor forget, Tensor reference, Tensor refit, double share)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(forget);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(refit);
        if (!(share >= 0 && share < 1)) throw new ArgumentOutOfRangeException(nameof(share), share, "share must lie in [0, 1).");
        int hidden = model.Widths.Count - 2;
        var removed = new int[hidden][];
        for (int l = 0; l < hidden; l++)
        {
            using var scope = NewDisposeScope();
            var next = Reader(model, l);
            var (hForget, hReference, hRefit) = (Activations(model, forget)[l], Activations(model, reference)[l], Activations(model, refit)[l]);
            int count = (int)Math.Floor(share * model.Widths[l + 1] + 0.5);
            removed[l] = UnitPruning.Top(UnitPruning.ContrastScores(hForget, hReference, next.weight!), count);
            UnitPruning.PruneAndRefit(hRefit, next.weight!, next.bias, removed[l]);
        }
        return removed;
    }

    static Sequential Body(Mlp model) =>
        model.named_children().Single(c => c.name == "body").module as Sequential
        ?? throw new InvalidOperationException("The MLP has no sequential body.");

    /// <summary>The linear layer that reads hidden layer <paramref name="layer"/>: body.linear{l+1}, or the head.</summary>
    static Linear Reader(Mlp model, int layer) =>
        layer == model.Widths.Count - 3 ? model.Head
        : (Linear)Body(model).named_children().Single(c => c.name == $"linear{layer + 1}").module;
}
