using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LossLab.Scaling;

/// <summary>
/// A next-token MLP language model over the last k tokens: embed each (width e), concatenate, one hidden layer of width h
/// with GELU, project to the vocabulary. For scaling sweeps on <see cref="LossLab.Data.ZipfMarkovChain"/> data, whose
/// entropy rate is the loss floor when k ≥ the chain's order. Non-embedding parameters: k·e·h + h + h·V + V.
/// </summary>
public sealed class MarkovMlpLm : nn.Module<Tensor, Tensor>
{
    readonly Embedding embedding;
    readonly Linear hidden, output;

    /// <summary>A model for <paramref name="vocabSize"/> tokens, context <paramref name="context"/>, embedding width
    /// <paramref name="embeddingWidth"/> and hidden width <paramref name="width"/>.</summary>
    public MarkovMlpLm(int vocabSize, int context, int embeddingWidth, int width) : base(nameof(MarkovMlpLm))
    {
        if (vocabSize < 2) throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "vocabSize must be at least 2.");
        if (context < 1) throw new ArgumentOutOfRangeException(nameof(context), context, "context must be at least 1.");
        if (embeddingWidth < 1) throw new ArgumentOutOfRangeException(nameof(embeddingWidth), embeddingWidth, "embeddingWidth must be at least 1.");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "width must be at least 1.");
        Context = context;
        embedding = nn.Embedding(vocabSize, embeddingWidth);
        hidden = nn.Linear(context * embeddingWidth, width);
        output = nn.Linear(width, vocabSize);
        RegisterComponents();
    }

    /// <summary>k, the number of previous tokens read.</summary>
    public int Context { get; }

    /// <summary>Logits (B, V) from the previous tokens (B, k), int64.</summary>
    public override Tensor forward(Tensor tokens)
    {
        if (tokens.dim() != 2 || tokens.shape[1] != Context)
            throw new ArgumentException($"tokens must be (B, {Context}); got {Guard.Shape(tokens)}.", nameof(tokens));
        using var e = embedding.forward(tokens);
        using var flat = e.reshape(tokens.shape[0], -1);
        using var h = hidden.forward(flat);
        using var a = nn.functional.gelu(h);
        return output.forward(a);
    }

    /// <summary>One optimizer step of next-token cross-entropy on a batch of contexts (row-major, batch × context) and
    /// their next tokens, inside its own dispose scope, on <paramref name="device"/> (where the model is).</summary>
    internal void TrainStep(optim.Optimizer optimizer, long[] inputs, long[] targets, int context, Device device)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(inputs, [targets.Length, context], dtype: ScalarType.Int64, device: device);
        var y = torch.tensor(targets, dtype: ScalarType.Int64, device: device);
        optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(forward(x), y);
        loss.backward();
        optimizer.step();
    }
}
