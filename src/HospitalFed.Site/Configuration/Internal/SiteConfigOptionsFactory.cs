using Microsoft.Extensions.Options;

namespace HospitalFed.Site.Configuration.Internal;

/// <summary>
/// Creates the site's options by loading its config file (<see cref="SiteConfig.Load"/>, with its
/// file:line errors), then runs the validators as any options factory does. A file that does not
/// load is reported as an <see cref="OptionsValidationException"/> carrying Load's one-line message,
/// so every bad setting fails the host's start the same way.
/// </summary>
internal sealed class SiteConfigOptionsFactory(
    string path,
    IEnumerable<IConfigureOptions<SiteConfig>> setups,
    IEnumerable<IPostConfigureOptions<SiteConfig>> postConfigures,
    IEnumerable<IValidateOptions<SiteConfig>> validations)
    : OptionsFactory<SiteConfig>(setups, postConfigures, validations)
{
    protected override SiteConfig CreateInstance(string name)
    {
        try
        {
            return SiteConfig.Load(path);
        }
        catch (InvalidDataException ex)
        {
            throw new OptionsValidationException(name, typeof(SiteConfig), [ex.Message]);
        }
    }
}
