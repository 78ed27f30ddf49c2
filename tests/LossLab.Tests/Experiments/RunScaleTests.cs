using LossLab.Experiments;

namespace LossLab.Tests.Experiments;

public class RunScaleTests
{
    [Theory]
    [InlineData("smoke", RunScale.Smoke, 1)]
    [InlineData("default", RunScale.Default, 5)]
    [InlineData("paper", RunScale.Paper, 10)]
    public void Each_name_parses_to_its_scale_and_picks_its_own_preset(string name, RunScale scale, int seeds)
    {
        Assert.Equal(scale, RunScales.Parse(name));
        Assert.Equal(name, scale.Name());
        Assert.Equal(seeds, scale.Pick(smoke: 1, @default: 5, paper: 10));
    }

    [Theory]
    [InlineData("defualt")]
    [InlineData("Smoke")]
    [InlineData(" default")]
    [InlineData("")]
    public void A_typo_is_refused_naming_the_value(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => RunScales.Parse(name));
        Assert.Contains($"Scale = \"{name}\"", e.Message);
    }

    [Fact]
    public void Claims_take_a_typed_scale()
    {
        Assert.Equal("smoke", new Claims(RunScale.Smoke).Scale);
        Assert.Equal("paper", new Claims(RunScale.Paper).Scale);
    }
}
