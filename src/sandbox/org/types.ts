/** An organisation as written in a `dingcast sandbox --directory FILE` (YAML or JSON): departments with their members. */
export interface OrgFile {
  name?: string;
  departments: OrgDepartment[];
  /** People who left: not in the directory (their ids are invalid, their mobiles find nobody), kept for the record. */
  left?: OrgMember[];
}

export interface OrgDepartment {
  /** Exact decimal digits (64-bit at DingTalk); the sample company writes small ones as numbers. */
  id: string | number;
  name: string;
  /** Absent for the root department (id 1). */
  parent_id?: string | number;
  members?: OrgMember[];
}

export interface OrgMember {
  userid: string;
  name: string;
  mobile?: string;
  title?: string;
}
