using LossLab.Scaling;
using TorchSharp;
using static TorchSharp.torch;

namespace LossLab.Tests.Scaling;

public class ComputeAccountingTests
{
    [Fact]
    public void Training_compute_is_six_N_D()
    {
        Assert.Equal(6 * 70e9 * 1.4e12, ComputeAccounting.TrainingFlops(70e9, 1.4e12), 1e6);
        Assert.Equal(1.4e12, ComputeAccounting.TokensForBudget(6 * 70e9 * 1.4e12, 70e9), 1e-3);
        Assert.Equal(70e9, ComputeAccounting.ParametersForBudget(6 * 70e9 * 1.4e12, 1.4e12), 1e-3);
    }

    [Fact]
    public void Non_embedding_parameters_exclude_token_and_position_embeddings()
    {
        // vocab 50, width 8, context 16: embeddings 50·8 + 16·8; body Linear(8, 32) + Linear(32, 8); head Linear(8, 50).
        var model = nn.Sequential(
            ("tokens", nn.Embedding(50, 8)),
            ("positions", nn.Embedding(16, 8)),
            ("up", nn.Linear(8, 32)),
            ("down", nn.Linear(32, 8)),
            ("head", nn.Linear(8, 50)));
        long body = 8 * 32 + 32 + 32 * 8 + 8, head = 8 * 50 + 50, embeddings = 50 * 8 + 16 * 8;
        Assert.Equal(body + head + embeddings, ComputeAccounting.Parameters(model));
        Assert.Equal(body + head, ComputeAccounting.NonEmbeddingParameters(model));
    }
}
