using Whc.Declarative.Core.Api;
using Whc.Declarative.Core.Inventory;
using Whc.Declarative.Core.Manifests;
using Whc.Declarative.Core.Planning;
using Whc.Declarative.Core.State;

namespace Whc.Declarative.Core.Operations;

/// <summary>
/// Create a site's address (route <c>createAddress</c>). Its effect is an address BT lists at the intent's postcode
/// for its premises; it is found by searching the postcode.
/// </summary>
public sealed class CreateAddressOperation : BtOperation<CreateAddressIntent, NoInput, AddressRecord>
{
    public override string Name => IntentOperations.CreateAddress;

    public override string Tag => IntentOperations.CreateAddress;

    public override string Route => "createAddress";

    /// <summary>
    /// The payload for a site's address. Premises the manifest leaves out are empty, not null (as stored): null means an
    /// older whcctl's intent that did not record them, which asks BT nothing.
    /// </summary>
    public static CreateAddressIntent Intent(SiteSpec site, string postcode)
    {
        ArgumentNullException.ThrowIfNull(site);
        return new CreateAddressIntent(site.Name, site.LocationCode, postcode, site.Address.Premises ?? string.Empty, site.Address.Street, site.Address.City) { Protect = site.Protect };
    }

    public override CreateAddressIntent Decode(IntentRecord intent) =>
        new(Get(intent, "site") ?? LastStepSegment(intent), Get(intent, "locationCode"), Get(intent, "postcode") ?? string.Empty, Get(intent, "premises"), Get(intent, "street"), Get(intent, "city"))
        {
            Protect = Flag(intent, "protect"),
        };

    public override Task<AddressRecord> CallAsync(IWhcApi api, CompanyState state, IntentRecord intent, CreateAddressIntent payload, NoInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(payload);
        return api.CreateAddressAsync(new NewAddress(payload.Postcode, string.IsNullOrEmpty(payload.Premises) ? null : payload.Premises, payload.Street, payload.City), cancellationToken);
    }

    /// <summary>An older whcctl's intent that names no premises asks nothing: which address it was for is lost.</summary>
    public override BtQuestions Questions(CompanyState state, IntentRecord intent, CreateAddressIntent payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return payload.Premises is null ? BtQuestions.None : BtQuestions.None with { Postcodes = [payload.Postcode] };
    }

    /// <summary>The address among <paramref name="candidates"/> the payload asks for (also how a step finds one before creating it).</summary>
    public static AddressRecord? Match(CreateAddressIntent payload, IEnumerable<AddressRecord> candidates)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var spec = new AddressSpec(payload.Postcode, payload.Premises, payload.Street, payload.City, null);
        return candidates.FirstOrDefault(a => AddressMatcher.Matches(a, spec));
    }

    public override Recognition<AddressRecord> Recognise(CompanyState state, IntentRecord intent, CreateAddressIntent payload, IntentAnswers answers, Claims claims)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(answers);
        if (payload.Premises is null)
        {
            // Nothing is recorded; should the site come back, its address step searches BT before creating anything.
            return Recognition.NotFound<AddressRecord>($"address of site {payload.Site}: the intent (from an older whcctl) does not say which premises at {payload.Postcode}; nothing recorded (an address BT may have made stays unused)");
        }

        if (!answers.AddressesByPostcode.TryGetValue(payload.Postcode, out var candidates))
        {
            return Recognition.Unknown<AddressRecord>($"address of site {payload.Site}: BT was not asked");
        }

        return Match(payload, candidates) is { } match
            ? Recognition.Found(match, $"address of site {payload.Site}: BT holds it (NAD key {match.NadKey}); recorded")
            : Recognition.NotFound<AddressRecord>($"address of site {payload.Site}: BT lists no such address at {payload.Postcode}; the call did not go through");
    }

    public override CompanyState Record(CompanyState state, IntentRecord intent, CreateAddressIntent payload, AddressRecord result) => Adopt(state, payload, result);

    /// <summary>
    /// The site as pending (no service id yet) with the NAD key and the address it was found by. A site BT already
    /// holds (with a service id) is left as it is: an address never replaces a site. Protection comes from the run that
    /// made the call and is never lowered by a recorded result.
    /// </summary>
    public static CompanyState Adopt(CompanyState state, CreateAddressIntent payload, AddressRecord address)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(address);
        var existing = state.Sites.FirstOrDefault(x => x.Name == payload.Site);
        if (existing?.ServiceId is not null)
        {
            return state;
        }

        var pending = new SiteState(payload.Site, payload.LocationCode ?? existing?.LocationCode ?? string.Empty, address.NadKey, null)
        {
            Protected = existing?.Protected == true || payload.Protect == true,
            // Premises are written as empty when the manifest gave none: the same address either way.
            FoundBy = new SiteAddressState(payload.Postcode, string.IsNullOrEmpty(payload.Premises) ? null : payload.Premises),
        };
        return state with { Sites = existing is null ? state.Sites.Add(pending) : state.Sites.Replace(existing, pending) };
    }
}
