using LynqDashboard.Infrastructure.Storage;

namespace LynqDashboard.Infrastructure.Tests.Storage;

/// <summary>The one set of S3 rules: each setting's limits, in messages that name the key (or whatever the host names it).</summary>
public sealed class S3OptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass()
    {
        Assert.True(new S3OptionsValidator().Validate(null, new S3Options()).Succeeded);
    }

    [Theory]
    [InlineData(nameof(S3Options.Region), "Europe", "Lynq:S3:Region 'Europe' is not a region name such as eu-west-1.")]
    [InlineData(nameof(S3Options.ServiceUrl), "s3.local", "Lynq:S3:ServiceUrl 's3.local' is not an absolute URL.")]
    [InlineData(nameof(S3Options.TimeoutSeconds), "0", "Lynq:S3:TimeoutSeconds must be between 1 and 3,600 (got 0).")]
    [InlineData(nameof(S3Options.TimeoutSeconds), "3601", "Lynq:S3:TimeoutSeconds must be between 1 and 3,600 (got 3601).")]
    [InlineData(nameof(S3Options.MaxRetries), "-1", "Lynq:S3:MaxRetries must be between 0 and 10 (got -1).")]
    [InlineData(nameof(S3Options.MaxRetries), "11", "Lynq:S3:MaxRetries must be between 0 and 10 (got 11).")]
    [InlineData(nameof(S3Options.PartSizeMiB), "4", "Lynq:S3:PartSizeMiB must be between 5 and 512 (got 4); S3 parts are at least 5 MiB.")]
    [InlineData(nameof(S3Options.PartSizeMiB), "513", "Lynq:S3:PartSizeMiB must be between 5 and 512 (got 513); S3 parts are at least 5 MiB.")]
    public void Validate_ABadValue_FailsWithOneMessageNamingItsKey(string property, string value, string message)
    {
        var options = new S3Options();
        var setter = typeof(S3Options).GetProperty(property)!;
        setter.SetValue(options, Convert.ChangeType(value, setter.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        var result = new S3OptionsValidator().Validate(null, options);

        Assert.Equal([message], result.Failures);
    }

    [Theory]
    [InlineData(nameof(S3Options.Region), "eu-west-1")]
    [InlineData(nameof(S3Options.Region), "us-gov-west-1")]
    [InlineData(nameof(S3Options.ServiceUrl), "http://127.0.0.1:9000")]
    [InlineData(nameof(S3Options.TimeoutSeconds), "3600")]
    [InlineData(nameof(S3Options.MaxRetries), "0")]
    [InlineData(nameof(S3Options.PartSizeMiB), "5")]
    public void Validate_AValueAtItsLimit_Passes(string property, string value)
    {
        var options = new S3Options();
        var setter = typeof(S3Options).GetProperty(property)!;
        setter.SetValue(options, Convert.ChangeType(value, setter.PropertyType, System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(new S3OptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_WithTheHostsNames_NamesTheSettingTheWayTheHostDoes()
    {
        var validator = new S3OptionsValidator(property => property == nameof(S3Options.ServiceUrl) ? "--service-url" : $"Lynq:S3:{property}");

        var result = validator.Validate(null, new S3Options { ServiceUrl = "s3.local", MaxRetries = 11 });

        Assert.Equal(["--service-url 's3.local' is not an absolute URL.", "Lynq:S3:MaxRetries must be between 0 and 10 (got 11)."], result.Failures);
    }

    [Fact]
    public void ToEndpoint_CarriesEverySetting_AndBlankMeansTheAwsChain()
    {
        var endpoint = new S3Options { Region = " eu-west-1 ", ServiceUrl = " ", ForcePathStyle = true, TimeoutSeconds = 17, MaxRetries = 2, PartSizeMiB = 6 }.ToEndpoint();

        Assert.Equal(new S3Endpoint("eu-west-1", null, true, TimeSpan.FromSeconds(17), 2), endpoint);
        Assert.Equal(6L << 20, new S3Options { PartSizeMiB = 6 }.PartSizeBytes);
    }
}
