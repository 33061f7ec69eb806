using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Whc.Declarative.Sandbox;

/// <summary>Searching and creating installation addresses (TMF673).</summary>
internal sealed partial class WhcEmulator
{
    public ApiResult SearchAddress(string? postcode)
    {
        if (string.IsNullOrWhiteSpace(postcode))
        {
            return ApiResult.MissingQuery("postcode");
        }

        var wanted = AddressBook.Normalize(postcode);
        lock (_gate)
        {
            var found = AddressBook.Seeded.Concat(_state.CreatedAddresses).Where(a => AddressBook.Normalize(a.Postcode) == wanted);
            return ApiResult.Ok(new JsonArray(found.Select(a => (JsonNode?)AddressView(a)).ToArray()));
        }
    }

    public ApiResult CreateAddress(JsonNode? body)
    {
        var postcode = JsonRead.String(body, "postcode");
        if (string.IsNullOrWhiteSpace(postcode))
        {
            return ApiResult.Error(400, "27", "Missing parameter: postcode");
        }

        lock (_gate)
        {
            var address = new AddressRecord
            {
                Id = "T" + Next(() => _state.NextTemporaryAddressNumber++).PadLeft(11, '0'),
                Uprn = "",
                StreetNr = JsonRead.String(body, "streetNr") ?? "",
                StreetName = JsonRead.String(body, "streetName") ?? "",
                Locality = JsonRead.String(body, "locality") ?? "",
                City = JsonRead.String(body, "city") ?? "",
                Postcode = AddressBook.Normalize(postcode),
                Qualifier = "Temporary",
                BuildingName = JsonRead.String(body, "buildingName") ?? "",
                SubBuilding = JsonRead.String(body, "subBuilding") ?? "",
            };
            _state.CreatedAddresses.Add(address);
            Persist();
            return ApiResult.Created(AddressView(address));
        }
    }
}
